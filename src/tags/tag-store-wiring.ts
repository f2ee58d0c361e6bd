import type { TokenCredential } from '@azure/identity';
import type { WatchlistSnapshot } from '../backends/embedded-backend';
import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { createExclusionStore, type StoreLogger } from '../stores';
import type { ExclusionStore } from '../stores/exclusion-store';
import { exclusionToWatchlistRow } from '../stores/watchlist-rows';

/**
 * How the bot and `huntbot hunt` reach the benign tags, from one configuration, so both honour the same tags:
 * the store (SQLite at HUNT_STORE_PATH, or the Sentinel watchlist), the engine's stand-in for the watchlist,
 * and the alias a hunt's KQL consults.
 */
export function openTagStore(config: AppConfig, logger: StoreLogger, credential?: TokenCredential): ExclusionStore {
  return createExclusionStore({
    storePath: config.storePath,
    watchlist: config.watchlist,
    watchlistAlias: config.watchlistAlias,
    arm: config.azure.arm,
    credential: config.watchlist ? (credential ?? createCredential(config.identity)) : undefined,
    logger,
  });
}

/** The tag store as `_GetWatchlist(alias)` rows for the embedded engine, read fresh for every query. */
export function engineWatchlists(config: AppConfig, store: ExclusionStore): WatchlistSnapshot {
  return async () => ({ [config.watchlistAlias]: (await store.list()).map((exclusion) => exclusionToWatchlistRow(exclusion)) });
}

/**
 * The embedded engine serves the tag store as _GetWatchlist; a workspace has the watchlist only when tags are stored there.
 * Defender XDR advanced hunting cannot be counted on to see a Sentinel watchlist, so its hunts never name one: the bot
 * hides tagged devices from its own reading of the tags instead.
 */
export function huntWatchlistAlias(config: AppConfig): string | undefined {
  if (config.backend === 'defender') return undefined;
  return config.backend === 'local' || config.watchlist ? config.watchlistAlias : undefined;
}
