import type { Exclusion } from './exclusion-store';
import { exclusionItemId } from './uuid-v5';
import { toItemsKeyValue } from './watchlist-items';

/**
 * What `_GetWatchlist(alias)` returns for one tag (columns of EXCLUSION_WATCHLIST_COLUMNS): the
 * item's columns plus SearchKey and Sentinel's bookkeeping columns. Local mode feeds these rows to
 * the embedded engine so hunts exclude tagged devices the same way they do in Sentinel.
 */
export function exclusionToWatchlistRow(exclusion: Exclusion, lastUpdatedUtc: string = exclusion.taggedAtUtc): Record<string, unknown> {
  return {
    _DTItemId: exclusionItemId(exclusion.searchKey),
    LastUpdatedTimeUTC: lastUpdatedUtc,
    ...toItemsKeyValue(exclusion),
  };
}
