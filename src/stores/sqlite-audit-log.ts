import type { SqlDatabase, SqlStatement } from './sqlite-driver';
import { inTransaction } from './sqlite-database';
import { AUDIT_ACTIONS, type AuditEntry, type AuditFilter, type AuditPage } from './exclusion-store';
import { cleanDisplayText, cleanName } from '../text/display-text';

interface AuditRow {
  id: number;
  action: AuditEntry['action'];
  search_key: string;
  actor_aad_object_id: string;
  actor_name: string;
  actor_upn: string;
  conversation_id: string;
  at_utc: string;
  detail: string;
  outcome: string;
}

/**
 * The append-only audit trail in SQLite. This module only ever INSERTs and SELECTs; triggers also
 * make the database itself refuse UPDATE and DELETE on the table, so nothing else (a script, a
 * future bug) can rewrite history either.
 */
export class SqliteAuditLog {
  private readonly insert: SqlStatement;
  private readonly selectAll: SqlStatement;
  private readonly selectByKey: SqlStatement;

  constructor(private readonly db: SqlDatabase) {
    addOutcomeColumnIfTableExists(db);
    widenActions(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit ${AUDIT_COLUMNS_SQL};
      CREATE INDEX IF NOT EXISTS audit_search_key ON audit (search_key);
      CREATE TRIGGER IF NOT EXISTS audit_is_append_only_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS audit_is_append_only_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    `);
    this.insert = db.prepare(`
      INSERT INTO audit (action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail, outcome)
      VALUES (@action, @searchKey, @actorAadObjectId, @actorName, @actorUpn, @conversationId, @atUtc, @detail, @outcome)
    `);
    this.selectAll = db.prepare('SELECT * FROM audit ORDER BY id');
    this.selectByKey = db.prepare('SELECT * FROM audit WHERE search_key = ? ORDER BY id');
  }

  append(entry: AuditEntry): void {
    this.insert.run({
      action: entry.action,
      searchKey: entry.searchKey,
      actorAadObjectId: entry.actorAadObjectId,
      // Whatever path an entry took here, the trail holds no bidi overrides, zero-width characters or NULs.
      actorName: cleanName(entry.actorName),
      actorUpn: entry.actorUpn,
      conversationId: entry.conversationId,
      atUtc: entry.atUtc,
      detail: cleanDisplayText(entry.detail),
      outcome: entry.outcome ?? '',
    });
  }

  /** Oldest first; for one searchKey when given. */
  entries(searchKey?: string): AuditEntry[] {
    const rows = (searchKey === undefined ? this.selectAll.all() : this.selectByKey.all(searchKey)) as AuditRow[];
    return rows.map(entryOf);
  }

  /** One page of the entries matching `filter`, newest first, counted and cut by SQLite (LIMIT/OFFSET). */
  page(filter: AuditFilter, offset: number, limit: number): AuditPage {
    const { where, params } = whereOf(filter);
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM audit ${where}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM audit ${where} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, limit, offset) as AuditRow[];
    return { total: Number(total), entries: rows.map(entryOf) };
  }
}

/** SQL for an AuditFilter; every value is a bound parameter. */
function whereOf(filter: AuditFilter): { where: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  // The hunt key is what precedes the key's last '|': the key starts with "<huntKey>|" and has no '|' after it.
  if (filter.huntKey !== undefined) {
    clauses.push("substr(search_key, 1, length(?) + 1) = ? || '|' AND instr(substr(search_key, length(?) + 2), '|') = 0");
    params.push(filter.huntKey, filter.huntKey, filter.huntKey);
  }
  if (filter.family !== undefined) {
    clauses.push("substr(search_key, 1, length(?) + 1) = ? || '/'");
    params.push(filter.family, filter.family);
  }
  if (filter.sinceUtc !== undefined) {
    clauses.push('at_utc >= ?');
    params.push(filter.sinceUtc);
  }
  // A device id holds no '|', so "ends with '|<id>'" means the key's device is that id.
  const devices: string[] = [];
  if (filter.deviceNeedle !== undefined && !filter.deviceNeedle.includes('|')) {
    devices.push("lower(search_key) LIKE ? ESCAPE '\\'");
    params.push(`%|${filter.deviceNeedle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}`);
  }
  for (const id of filter.deviceIds ?? []) {
    if (id.includes('|')) continue;
    devices.push("substr(search_key, -length(?) - 1) = '|' || ?");
    params.push(id, id);
  }
  if (filter.deviceNeedle !== undefined || filter.deviceIds !== undefined) clauses.push(devices.length > 0 ? `(${devices.join(' OR ')})` : '0');
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function entryOf(r: AuditRow): AuditEntry {
  return {
    action: r.action,
    searchKey: r.search_key,
    actorAadObjectId: r.actor_aad_object_id,
    actorName: r.actor_name,
    actorUpn: r.actor_upn,
    conversationId: r.conversation_id,
    atUtc: r.at_utc,
    detail: r.detail,
    ...(r.outcome ? { outcome: r.outcome } : {}),
  };
}

const ACTIONS_SQL = AUDIT_ACTIONS.map((a) => `'${a}'`).join(', ');

/** The audit table's columns, shared by a new table and the widened copy so the two cannot drift apart. */
const AUDIT_COLUMNS_SQL = `(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  action TEXT NOT NULL CHECK (action IN (${ACTIONS_SQL})),
  search_key TEXT NOT NULL,
  actor_aad_object_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_upn TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  at_utc TEXT NOT NULL,
  detail TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT ''
)`;

/** Databases created before outcomes were recorded get the column (existing rows: '', no outcome known). */
function addOutcomeColumnIfTableExists(db: SqlDatabase): void {
  const columns = db.prepare('PRAGMA table_info(audit)').all() as Array<{ name: string }>;
  if (columns.length > 0 && !columns.some((c) => c.name === 'outcome')) db.exec("ALTER TABLE audit ADD COLUMN outcome TEXT NOT NULL DEFAULT ''");
}

/**
 * A trail created before bookmarks were audited only allows tag, untag and denied; SQLite cannot change a
 * CHECK in place, so the table is copied once into one that allows every action, ids and order kept.
 * (DROP TABLE removes the append-only triggers before its implicit delete, so they do not fire; they are
 * created again with the new table.)
 */
function widenActions(db: SqlDatabase): void {
  const needsWidening = (): boolean => {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get() as { sql?: string } | undefined;
    return row?.sql !== undefined && !AUDIT_ACTIONS.every((a) => row.sql!.includes(`'${a}'`));
  };
  if (!needsWidening()) return;
  inTransaction(db, () => {
    // Another process may have widened it while this one waited for the write lock.
    if (!needsWidening()) return;
    db.exec(`
      CREATE TABLE audit_widened ${AUDIT_COLUMNS_SQL};
      INSERT INTO audit_widened (id, action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail, outcome)
        SELECT id, action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail, outcome FROM audit;
      DROP TABLE audit;
      ALTER TABLE audit_widened RENAME TO audit;
    `);
  });
}
