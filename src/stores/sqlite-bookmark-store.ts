import type { HuntBookmark } from '../domain/bookmark';
import type { AuditEntry } from './exclusion-store';
import { EscalationError, type BookmarkStore, type CreatedBookmark, type IncidentAddition } from './bookmark-store';
import { SqliteAuditLog } from './sqlite-audit-log';
import { inTransaction, openSqliteDatabase } from './sqlite-database';
import type { SqlDatabase, SqlStatement } from './sqlite-driver';
import { errorMessage } from '../util/error-message';

/**
 * Bookmarks in the local SQLite file (no Sentinel configured), so the escalation flow works on a fresh clone.
 * A bookmark and its audit entry are one transaction. Incidents cannot be looked up locally: adding a bookmark
 * to incident N records the number on the bookmark (and in the audit trail), nothing more.
 */
export class SqliteBookmarkStore implements BookmarkStore {
  readonly name = 'sqlite';
  private readonly db: SqlDatabase;
  private readonly auditLog: SqliteAuditLog;
  private readonly insert: SqlStatement;
  private readonly selectOne: SqlStatement;
  private readonly selectAll: SqlStatement;
  private readonly updateJson: SqlStatement;

  constructor(file: string) {
    this.db = openSqliteDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bookmarks (
        bookmark_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        hunt_key TEXT NOT NULL,
        device_id TEXT NOT NULL,
        created_at_utc TEXT NOT NULL,
        json TEXT NOT NULL
      );
    `);
    this.auditLog = new SqliteAuditLog(this.db);
    this.insert = this.db.prepare(
      'INSERT INTO bookmarks (bookmark_id, run_id, hunt_key, device_id, created_at_utc, json) VALUES (@bookmarkId, @runId, @huntKey, @deviceId, @createdAtUtc, @json)',
    );
    this.selectOne = this.db.prepare('SELECT json FROM bookmarks WHERE bookmark_id = ?');
    this.selectAll = this.db.prepare('SELECT json FROM bookmarks ORDER BY created_at_utc DESC, bookmark_id');
    this.updateJson = this.db.prepare('UPDATE bookmarks SET json = @json WHERE bookmark_id = @bookmarkId');
  }

  async create(bookmark: HuntBookmark, audit: AuditEntry): Promise<CreatedBookmark> {
    return this.write(() =>
      inTransaction(this.db, () => {
        const existing = this.read(bookmark.bookmarkId);
        if (existing) {
          this.auditLog.append({ ...audit, outcome: 'already bookmarked (local store)' });
          return { bookmark: existing, created: false };
        }
        // Exactly the named parameters: node:sqlite (Node 22+) refuses unknown ones, better-sqlite3 ignores them.
        const { bookmarkId, runId, huntKey, deviceId, createdAtUtc } = bookmark;
        this.insert.run({ bookmarkId, runId, huntKey, deviceId, createdAtUtc, json: JSON.stringify(bookmark) });
        this.auditLog.append({ ...audit, outcome: 'created (local store)' });
        return { bookmark, created: true };
      }),
    );
  }

  async get(bookmarkId: string): Promise<HuntBookmark | undefined> {
    return this.read(bookmarkId);
  }

  async list(): Promise<HuntBookmark[]> {
    return (this.selectAll.all() as Array<{ json: string }>).map((row) => JSON.parse(row.json) as HuntBookmark);
  }

  async addToIncident(bookmark: HuntBookmark, incidentNumber: number, _comment: string, audit: AuditEntry): Promise<IncidentAddition> {
    return this.write(() =>
      inTransaction(this.db, () => {
        const stored = this.read(bookmark.bookmarkId);
        if (!stored) throw new EscalationError('not-found', 'That bookmark is not in the local store any more; bookmark the hit again.');
        const already = stored.incidents.some((i) => i.number === incidentNumber);
        const incident = { number: incidentNumber, incidentId: '', title: '', url: '' };
        if (!already) this.updateJson.run({ bookmarkId: stored.bookmarkId, json: JSON.stringify({ ...stored, incidents: [...stored.incidents, incident] }) });
        this.auditLog.append({ ...audit, outcome: already ? `already on incident #${incidentNumber} (local store)` : `recorded incident #${incidentNumber} (local store)` });
        return { incident, newlyRelated: !already };
      }),
    );
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private read(bookmarkId: string): HuntBookmark | undefined {
    const row = this.selectOne.get(bookmarkId) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as HuntBookmark) : undefined;
  }

  private write<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof EscalationError) throw error;
      throw new EscalationError('unavailable', `The local bookmark store could not be written: ${errorMessage(error)}`, undefined, { cause: error });
    }
  }
}
