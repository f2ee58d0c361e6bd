import type { TokenCredential } from '@azure/identity';
import { ArmClient, ArmRequestError } from '../azure/arm-client';
import type { ServiceEndpoint } from '../azure/cloud';
import type { RetryOptions } from '../azure/retry';
import { TOKEN_ADVICE } from '../azure/token-guard';
import type { AuditEntry, AuditFilter, AuditPage, Exclusion, ExclusionStore } from './exclusion-store';
import { assertValidExclusion } from './exclusion-validation';
import type { SqliteAuditLog } from './sqlite-audit-log';
import { openLocalAuditLog, securityInsightsPath, sentinelArmClient, type StoreLogger } from './sentinel-workspace';
import { StoreReadError, StoreWriteError, type StoreWriteOperation } from './store-errors';
import { exclusionItemId } from './uuid-v5';
import { WATCHLIST_SEARCH_KEY_COLUMN, fromItemsKeyValue, toItemsKeyValue } from './watchlist-items';
import { errorMessage } from '../util/error-message';

/** Latest stable Microsoft.SecurityInsights api-version with watchlists (platform-facts §4.2). */
export const WATCHLIST_API_VERSION = '2025-09-01';
export const WATCHLIST_PROVIDER = 'Sentinel Hunt Bot';

export type { StoreLogger };

export interface WatchlistExclusionStoreOptions {
  /** ARM endpoint and scope of the cloud (readAzureCloudSettings(env).settings.arm). */
  arm: ServiceEndpoint;
  credential: TokenCredential;
  subscriptionId: string;
  resourceGroup: string;
  /** The Log Analytics workspace *name* (ARM resource name), not its GUID. */
  workspaceName: string;
  /** Watchlist alias, e.g. HuntBotExclusions; what hunts pass to _GetWatchlist(). */
  alias: string;
  displayName?: string;
  logger: StoreLogger;
  /**
   * Also append the audit trail to SQLite at this path. The structured log line is the primary
   * audit record in watchlist mode; a local copy survives log-retention limits on a single instance.
   */
  auditPath?: string;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
}

interface WatchlistItemResource {
  name?: string;
  properties?: { watchlistItemId?: string; itemsKeyValue?: Record<string, unknown>; isDeleted?: boolean };
}

/**
 * Benign tags as items of a Microsoft Sentinel watchlist, written through ARM REST. Item ids are
 * UUID v5 of the searchKey, so tagging twice is an idempotent PUT (last writer wins) and two
 * responders can never create duplicate rows for one device.
 */
export class WatchlistExclusionStore implements ExclusionStore {
  readonly name = 'watchlist';
  private readonly arm: ArmClient;
  private readonly watchlistPath: string;
  private readonly auditLog?: SqliteAuditLog;
  private readonly closeAuditDb?: () => void;
  private ensured: Promise<void> | undefined;

  constructor(private readonly options: WatchlistExclusionStoreOptions) {
    this.arm = sentinelArmClient(options, WATCHLIST_API_VERSION, 'watchlist');
    this.watchlistPath = `${securityInsightsPath(options)}/watchlists/${encodeURIComponent(options.alias)}`;
    ({ log: this.auditLog, close: this.closeAuditDb } = openLocalAuditLog(options.auditPath));
  }

  async upsert(exclusion: Exclusion, audit?: AuditEntry): Promise<Exclusion> {
    assertValidExclusion(exclusion);
    const body = { properties: { itemsKeyValue: toItemsKeyValue(exclusion) } };
    const response = await this.recorded(
      audit,
      () => this.writeItem('upsert', exclusion.searchKey, () => this.arm.send('PUT', this.itemPath(exclusion.searchKey), { body })),
      (r) => `saved (HTTP ${r.status})`,
    );
    // Report what the service stored, not what we sent: the card shows this as the saved tag.
    const saved = fromItemsKeyValue((response.body as WatchlistItemResource | undefined)?.properties?.itemsKeyValue);
    this.options.logger.info({ searchKey: exclusion.searchKey, status: response.status }, 'exclusion saved to watchlist');
    return saved ?? exclusion;
  }

  async remove(searchKey: string, audit?: AuditEntry): Promise<boolean> {
    // No ensureWatchlist here: a missing watchlist (404) simply means there is nothing to remove.
    const response = await this.recorded(
      audit,
      () => this.writeItem('remove', searchKey, () => this.arm.send('DELETE', this.itemPath(searchKey), { accept: [404] })),
      (r) => (r.status === 200 ? 'removed (HTTP 200)' : `nothing to remove (HTTP ${r.status})`),
    );
    // ARM convention: 200 deleted, 204 nothing to delete.
    const removed = response.status === 200;
    this.options.logger.info({ searchKey, removed }, 'exclusion removed from watchlist');
    return removed;
  }

  async list(huntKey?: string): Promise<Exclusion[]> {
    try {
      const { status, items } = await this.arm.listAll(`${this.watchlistPath}/watchlistItems`, { accept: [404] });
      if (status === 404) return [];
      return (items as WatchlistItemResource[])
        .filter((item) => item.properties?.isDeleted !== true)
        .map((item) => fromItemsKeyValue(item.properties?.itemsKeyValue))
        .filter((e): e is Exclusion => e !== undefined && (huntKey === undefined || e.huntKey === huntKey));
    } catch (error) {
      const arm = error instanceof ArmRequestError ? error : undefined;
      throw new StoreReadError(
        `Could not read watchlist ${this.options.alias}: ${this.explain(error)}`,
        { transient: arm?.transient ?? false, statusCode: arm?.statusCode, code: arm?.code },
        { cause: error },
      );
    }
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.logAudit(entry);
    try {
      this.auditLog?.append(entry);
    } catch (error) {
      throw new StoreWriteError(
        'audit',
        `Could not append to the local audit log: ${errorMessage(error)}`,
        { searchKey: entry.searchKey, transient: false },
        { cause: error },
      );
    }
  }

  /**
   * Runs an item write and records in the audit trail what ARM answered, success or failure. A watchlist
   * write and a local SQLite append cannot be one transaction, so the entry follows the write and states
   * its outcome; once ARM has accepted a write, a failing local copy is logged but never turns it into a failure.
   */
  private async recorded<T>(audit: AuditEntry | undefined, write: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      if (audit) this.recordOutcome({ ...audit, outcome: `failed: ${errorMessage(error)}`.slice(0, 600) });
      throw error;
    }
    if (audit) this.recordOutcome({ ...audit, outcome: describe(result) });
    return result;
  }

  private recordOutcome(entry: AuditEntry): void {
    this.logAudit(entry);
    try {
      this.auditLog?.append(entry);
    } catch (error) {
      this.options.logger.error({ audit: entry, err: error }, 'could not append to the local audit copy; the log line above is the record');
    }
  }

  /** The structured log line: the primary audit record in watchlist mode. */
  private logAudit(entry: AuditEntry): void {
    this.options.logger.info({ audit: entry, store: 'watchlist', alias: this.options.alias }, `exclusion audit: ${entry.action}`);
  }

  /** The local copy of the audit trail (empty when no local copy is kept). */
  async auditTrail(): Promise<AuditEntry[]> {
    return this.auditLog?.entries() ?? [];
  }

  async auditPage(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage> {
    return this.auditLog?.page(filter, offset, limit) ?? { total: 0, entries: [] };
  }

  async close(): Promise<void> {
    this.closeAuditDb?.();
  }

  private itemPath(searchKey: string): string {
    return `${this.watchlistPath}/watchlistItems/${exclusionItemId(searchKey)}`;
  }

  /**
   * Runs an item write and turns any failure into StoreWriteError. An upsert first makes sure the
   * watchlist exists; a 404 on the item PUT means it vanished (deleted in the portal, or not yet
   * visible after creation), so it is ensured again and the PUT repeated once.
   */
  private async writeItem<T>(operation: StoreWriteOperation, searchKey: string, write: () => Promise<T>): Promise<T> {
    try {
      if (operation !== 'upsert') return await write();
      await this.ensureWatchlist();
      try {
        return await write();
      } catch (error) {
        if (!(error instanceof ArmRequestError) || error.statusCode !== 404) throw error;
        this.ensured = undefined;
        await this.ensureWatchlist();
        return await write();
      }
    } catch (error) {
      if (error instanceof StoreWriteError) throw error;
      const arm = error instanceof ArmRequestError ? error : undefined;
      const transient = arm?.transient ?? false;
      const verb = operation === 'remove' ? 'removed' : 'saved';
      this.options.logger.error({ searchKey, operation, statusCode: arm?.statusCode, code: arm?.code, err: error }, 'watchlist write failed');
      throw new StoreWriteError(
        operation,
        `Tag not ${verb}${transient ? ' — retry in a moment' : ''}: ${this.explain(error)}`,
        { searchKey, transient, statusCode: arm?.statusCode, code: arm?.code, retryAfterMs: arm?.retryAfterMs },
        { cause: error },
      );
    }
  }

  /** GET the watchlist; on 404 create it. Memoised per store, forgotten on failure. */
  private ensureWatchlist(): Promise<void> {
    this.ensured ??= this.createWatchlistIfMissing().catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }

  private async createWatchlistIfMissing(): Promise<void> {
    const existing = await this.arm.send('GET', this.watchlistPath, { accept: [404] });
    if (existing.status !== 404) return;
    await this.arm.send('PUT', this.watchlistPath, {
      body: {
        properties: {
          displayName: this.options.displayName ?? this.options.alias,
          provider: WATCHLIST_PROVIDER,
          source: 'Local file',
          itemsSearchKey: WATCHLIST_SEARCH_KEY_COLUMN,
          description:
            'Devices responders tagged as benign for a hunt, written by Sentinel Hunt Bot. SearchKey is "<huntKey>|<DeviceId>". Edit through the bot so the audit trail stays complete.',
        },
      },
    });
    this.options.logger.info({ alias: this.options.alias }, 'created exclusion watchlist');
  }

  private explain(error: unknown): string {
    if (error instanceof ArmRequestError) {
      if (error.code === 'NoToken') return `${error.message}. ${TOKEN_ADVICE}`;
      if (error.statusCode === 403) {
        return `${error.message}. Grant the bot identity Microsoft Sentinel Contributor (or a role with Microsoft.SecurityInsights/watchlists/*) on workspace ${this.options.workspaceName}.`;
      }
      return error.message;
    }
    return errorMessage(error);
  }
}
