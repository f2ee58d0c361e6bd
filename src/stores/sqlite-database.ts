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
