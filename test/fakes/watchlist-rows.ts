import type { StoredWatchlist, StoredWatchlistItem } from './watchlist-server';

/**
 * Projects stored watchlist items into the rows `_GetWatchlist(alias)` returns in Sentinel: every
 * itemsKeyValue column as a string, `SearchKey` (the value of the watchlist's itemsSearchKey column)
 * and the bookkeeping columns `_DTItemId` and `LastUpdatedTimeUTC` (see EXCLUSION_WATCHLIST_COLUMNS).
 * Deliberately independent of src/stores' own mapping, so an end-to-end test checks one against the
 * other.
 */
export function projectGetWatchlistRows(
  watchlist: Pick<StoredWatchlist, 'properties'>,
  items: readonly StoredWatchlistItem[],
): Array<Record<string, unknown>> {
  return items
    .filter((item) => !item.properties.isDeleted)
    .map((item) => {
      const columns: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(item.properties.itemsKeyValue)) {
        columns[key] = value === null || value === undefined ? '' : String(value);
      }
      return {
        _DTItemId: item.properties.watchlistItemId,
        LastUpdatedTimeUTC: item.properties.updated,
        ...columns,
        SearchKey: String(item.properties.itemsKeyValue[watchlist.properties.itemsSearchKey] ?? ''),
      };
    });
}
