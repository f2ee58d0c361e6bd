import type { TokenCredential } from '@azure/identity';
import type { ServiceEndpoint } from '../azure/cloud';
import type { RetryOptions } from '../azure/retry';
import type { ExclusionStore } from './exclusion-store';
import { SqliteExclusionStore } from './sqlite-exclusion-store';
import { WatchlistExclusionStore, type StoreLogger } from './watchlist-exclusion-store';

export type { AuditEntry, Exclusion, ExclusionStore } from './exclusion-store';
export { isActive, searchKeyOf } from './exclusion-store';
export { StoreReadError, StoreWriteError } from './store-errors';
export { SqliteExclusionStore } from './sqlite-exclusion-store';
export { WatchlistExclusionStore, WATCHLIST_API_VERSION, WATCHLIST_PROVIDER, type StoreLogger } from './watchlist-exclusion-store';
export { exclusionItemId } from './uuid-v5';
export { exclusionToWatchlistRow } from './watchlist-rows';

/** The parts of the app configuration the store needs (field names match AppConfig). */
export interface ExclusionStoreSettings {
  /** SQLite file: the tag store in local mode, the local audit copy in watchlist mode. */
  storePath: string;
  /** Set (all three) to store tags in a Sentinel watchlist. */
  watchlist?: { subscriptionId: string; resourceGroup: string; workspaceName: string };
  watchlistAlias: string;
  /** Needed in watchlist mode: readAzureCloudSettings(env).settings.arm. */
  arm?: ServiceEndpoint;
  /** Needed in watchlist mode: createCredential(...). */
  credential?: TokenCredential;
  logger: StoreLogger;
  /** Watchlist mode: also keep the audit trail in SQLite at storePath (default true). */
  localAuditCopy?: boolean;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
}

/**
 * Chooses the store: a Sentinel watchlist when subscription, resource group and workspace name are
 * all set, otherwise SQLite at storePath. Partial watchlist settings are a configuration error, not
 * a silent fallback to local storage (tags would vanish from Sentinel's view).
 */
export function createExclusionStore(settings: ExclusionStoreSettings): ExclusionStore {
  const wl = settings.watchlist;
  if (!wl) return new SqliteExclusionStore(settings.storePath);
  const missing = (['subscriptionId', 'resourceGroup', 'workspaceName'] as const).filter((k) => !wl[k]);
  if (missing.length > 0) throw new Error(`Watchlist store needs ${missing.join(', ')}`);
  if (!settings.arm || !settings.credential) throw new Error('Watchlist store needs the ARM endpoint settings and a credential');
  return new WatchlistExclusionStore({
    arm: settings.arm,
    credential: settings.credential,
    subscriptionId: wl.subscriptionId,
    resourceGroup: wl.resourceGroup,
    workspaceName: wl.workspaceName,
    alias: settings.watchlistAlias,
    logger: settings.logger,
    auditPath: settings.localAuditCopy === false ? undefined : settings.storePath,
    retry: settings.retry,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
}
