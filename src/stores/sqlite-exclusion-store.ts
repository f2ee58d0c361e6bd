import type { SqlDatabase, SqlStatement } from './sqlite-driver';
import type { AuditEntry, AuditFilter, AuditPage, Exclusion, ExclusionStore } from './exclusion-store';
import { assertValidExclusion } from './exclusion-validation';
import { SqliteAuditLog } from './sqlite-audit-log';
import { DEFAULT_STORE_PATH, inTransaction, isTransientSqliteError, openSqliteDatabase } from './sqlite-database';
import { StoreReadError, StoreWriteError, type StoreWriteOperation } from './store-errors';
import { exclusionToWatchlistRow } from './watchlist-rows';
import { errorMessage } from '../util/error-message';

interface ExclusionRow {
  search_key: string;
  hunt_key: string;
  device_id: string;
  device_name: string;
  scenario: string;
  justification: string;
  tagged_by_upn: string;
  tagged_by_aad_object_id: string;
  tagged_by_name: string;
  tagged_at_utc: string;
  expires_at_utc: string;
}

function fromRow(r: ExclusionRow): Exclusion {
  return {
    searchKey: r.search_key,
    huntKey: r.hunt_key,
    deviceId: r.device_id,
    deviceName: r.device_name,
    scenario: r.scenario,
    justification: r.justification,
    taggedByUpn: r.tagged_by_upn,
    taggedByAadObjectId: r.tagged_by_aad_object_id,
    taggedByName: r.tagged_by_name,
    taggedAtUtc: r.tagged_at_utc,
    expiresAtUtc: r.expires_at_utc,
  };
}

/** Benign tags in a local SQLite file: the store for local runs and the CLI. */
export class SqliteExclusionStore implements ExclusionStore {
  readonly name = 'sqlite';
  private readonly db: SqlDatabase;
  private readonly auditLog: SqliteAuditLog;
  private readonly upsertStatement: SqlStatement;
  private readonly selectOne: SqlStatement;
  private readonly selectAll: SqlStatement;
  private readonly selectByHunt: SqlStatement;
  private readonly deleteOne: SqlStatement;

  /** Opens or creates the database at `file` (default ./.huntbot/huntbot.db, folder created). */
  constructor(readonly file: string = DEFAULT_STORE_PATH) {
    this.db = openSqliteDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS exclusions (
        search_key TEXT PRIMARY KEY,
        hunt_key TEXT NOT NULL,
        device_id TEXT NOT NULL,
        device_name TEXT NOT NULL,
        scenario TEXT NOT NULL,
        justification TEXT NOT NULL,
        tagged_by_upn TEXT NOT NULL,
        tagged_by_aad_object_id TEXT NOT NULL,
        tagged_by_name TEXT NOT NULL,
        tagged_at_utc TEXT NOT NULL,
        expires_at_utc TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS exclusions_hunt_key ON exclusions (hunt_key);
    `);
    this.auditLog = new SqliteAuditLog(this.db);
    // Last writer wins, like the watchlist's PUT of the same item id.
    this.upsertStatement = this.db.prepare(`
      INSERT INTO exclusions (search_key, hunt_key, device_id, device_name, scenario, justification,
        tagged_by_upn, tagged_by_aad_object_id, tagged_by_name, tagged_at_utc, expires_at_utc)
      VALUES (@searchKey, @huntKey, @deviceId, @deviceName, @scenario, @justification,
        @taggedByUpn, @taggedByAadObjectId, @taggedByName, @taggedAtUtc, @expiresAtUtc)
      ON CONFLICT (search_key) DO UPDATE SET
        hunt_key = excluded.hunt_key, device_id = excluded.device_id, device_name = excluded.device_name,
        scenario = excluded.scenario, justification = excluded.justification,
        tagged_by_upn = excluded.tagged_by_upn, tagged_by_aad_object_id = excluded.tagged_by_aad_object_id,
        tagged_by_name = excluded.tagged_by_name, tagged_at_utc = excluded.tagged_at_utc,
        expires_at_utc = excluded.expires_at_utc
    `);
    this.selectOne = this.db.prepare('SELECT * FROM exclusions WHERE search_key = ?');
    this.selectAll = this.db.prepare('SELECT * FROM exclusions ORDER BY hunt_key, search_key');
    this.selectByHunt = this.db.prepare('SELECT * FROM exclusions WHERE hunt_key = ? ORDER BY search_key');
    this.deleteOne = this.db.prepare('DELETE FROM exclusions WHERE search_key = ?');
  }

  /** The tag and its audit entry are one transaction: both are written, or neither. */
  async upsert(exclusion: Exclusion, audit?: AuditEntry): Promise<Exclusion> {
    assertValidExclusion(exclusion);
    return this.write('upsert', exclusion.searchKey, () =>
      inTransaction(this.db, () => {
        this.upsertStatement.run({ ...exclusion });
        if (audit) this.auditLog.append({ ...audit, outcome: 'saved' });
        return fromRow(this.selectOne.get(exclusion.searchKey) as ExclusionRow);
      }),
    );
  }

  /** The removal and its audit entry are one transaction: both are written, or neither. */
  async remove(searchKey: string, audit?: AuditEntry): Promise<boolean> {
    return this.write('remove', searchKey, () =>
      inTransaction(this.db, () => {
        const removed = Number(this.deleteOne.run(searchKey).changes) > 0;
        if (audit) this.auditLog.append({ ...audit, outcome: removed ? 'removed' : 'nothing to remove' });
        return removed;
      }),
    );
  }

  async list(huntKey?: string): Promise<Exclusion[]> {
    try {
      const rows = (huntKey === undefined ? this.selectAll.all() : this.selectByHunt.all(huntKey)) as ExclusionRow[];
      return rows.map(fromRow);
    } catch (error) {
      throw new StoreReadError(
        `Could not read tags from ${this.file}: ${errorMessage(error)}`,
        { transient: isTransientSqliteError(error), code: (error as { code?: string }).code },
        { cause: error },
      );
    }
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.write('audit', entry.searchKey, () => this.auditLog.append(entry));
  }

  /**
   * The tags as `_GetWatchlist(alias)` rows, read synchronously so the embedded engine can take a
   * fresh snapshot for every query (EmbeddedBackend's WatchlistSnapshot). Includes expired tags,
   * as Sentinel does; hunts filter on ExpiresAtUtc.
   */
  watchlistRows(): Array<Record<string, unknown>> {
    return (this.selectAll.all() as ExclusionRow[]).map((row) => exclusionToWatchlistRow(fromRow(row)));
  }

  /** The audit trail, oldest first (for /audit views and tests). */
  async auditTrail(searchKey?: string): Promise<AuditEntry[]> {
    return this.auditLog.entries(searchKey);
  }

  async auditPage(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage> {
    return this.auditLog.page(filter, offset, limit);
  }

  /**
   * SQLite's quick_check (every page's b-tree structure, no index cross-check): a damaged page shows
   * here even when no query has touched it yet. Milliseconds for a tag store; readiness caches it.
   */
  async checkHealth(): Promise<string | undefined> {
    try {
      const rows = this.db.prepare('PRAGMA quick_check(3)').all() as Array<Record<string, unknown>>;
      // Each row is "ok" or one problem, possibly several lines starting with "*** in database main ***".
      const problems = rows
        .flatMap((row) => String(Object.values(row)[0]).split('\n'))
        .filter((line) => line !== 'ok' && !line.startsWith('***') && line.trim() !== '');
      return problems.length === 0 ? undefined : `the database file is damaged (SQLite quick_check: ${problems.join('; ')})`;
    } catch (error) {
      return errorMessage(error);
    }
  }

  async close(): Promise<void> {
    if (this.db.isOpen()) this.db.close();
  }

  private write<T>(operation: StoreWriteOperation, searchKey: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw new StoreWriteError(
        operation,
        `Could not save to ${this.file}: ${errorMessage(error)}`,
        { searchKey, transient: isTransientSqliteError(error), code: (error as { code?: string }).code },
        { cause: error },
      );
    }
  }
}
