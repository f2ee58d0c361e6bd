import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';

export const DEFAULT_STORE_PATH = './.huntbot/huntbot.db';

/**
 * Opens (creating folder and file) the bot's SQLite database in WAL mode, so readers never block the
 * writer and a second process (a CLI next to the bot) can share the file. busy_timeout makes a
 * writer wait for another's lock instead of failing at once with SQLITE_BUSY.
 */
export function openSqliteDatabase(file: string = DEFAULT_STORE_PATH): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** SQLite errors worth retrying later (another writer holds the lock). */
export function isTransientSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
