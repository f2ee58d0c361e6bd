import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSqlite, type SqlDatabase } from './sqlite-driver';

export const DEFAULT_STORE_PATH = './.huntbot/huntbot.db';

/**
 * Opens (creating folder and file) the bot's SQLite database in WAL mode, so readers never block the
 * writer and a second process (a CLI next to the bot) can share the file. busy_timeout makes a
 * writer wait for another's lock instead of failing at once with SQLITE_BUSY.
 */
export function openSqliteDatabase(file: string = DEFAULT_STORE_PATH): SqlDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = openSqlite(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
  return db;
}

/** SQLite errors worth retrying later (another writer holds the lock). */
export function isTransientSqliteError(error: unknown): boolean {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  // better-sqlite3 names the code; node:sqlite gives SQLite's number (5 BUSY, 6 LOCKED, extended codes share the low byte).
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
  return typeof errcode === 'number' && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6);
}

/**
 * Runs `work` in one write transaction: everything it wrote is committed together, or (if it throws)
 * nothing is. IMMEDIATE takes the write lock at the start, so another process's writer waits
 * (busy_timeout) instead of failing halfway. `work` is synchronous, so nothing else in this process
 * can interleave with it on this connection.
 */
export function inTransaction<T>(db: SqlDatabase, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after SQLITE_FULL); the original error is what matters.
    }
    throw error;
  }
}
