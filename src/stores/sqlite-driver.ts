/**
 * The few SQLite calls the stores make, over whichever driver suits the running Node:
 * - Node 22+: the built-in `node:sqlite` (no native addon). better-sqlite3 12 — the last line that
 *   runs on Node 20 — aborts the process on Node 24 when a statement is finalized after the
 *   environment is torn down (`RemoveEnvironmentCleanupHook … (env) != nullptr`), so it is never
 *   loaded there;
 * - Node 20: better-sqlite3 12, loaded lazily.
 */
export interface SqlRunResult {
  changes: number | bigint;
}

export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
  readonly driver: 'node:sqlite' | 'better-sqlite3';
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  isOpen(): boolean;
  close(): void;
}

export interface OpenOptions {
  readonly?: boolean;
}

interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => {
    exec(sql: string): void;
    prepare(sql: string): SqlStatement;
    close(): void;
  };
}

interface BetterSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
  readonly open: boolean;
}

type BetterSqliteConstructor = new (file: string, options?: { readonly?: boolean }) => BetterSqliteDatabase;

export function preferredDriver(version: string = process.versions.node): SqlDatabase['driver'] {
  return Number(version.split('.')[0]) >= 22 ? 'node:sqlite' : 'better-sqlite3';
}

export function openSqlite(file: string, options: OpenOptions = {}): SqlDatabase {
  if (preferredDriver() === 'node:sqlite') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on Node 22+, where it exists
    const { DatabaseSync } = require('node:sqlite') as NodeSqliteModule;
    const db = new DatabaseSync(file, { readOnly: options.readonly === true });
    let open = true;
    return {
      driver: 'node:sqlite',
      exec: (sql) => db.exec(sql),
      prepare: (sql) => db.prepare(sql),
      isOpen: () => open,
      // Idempotent like better-sqlite3's close(); node:sqlite throws on a second close.
      close: () => {
        if (!open) return;
        db.close();
        open = false;
      },
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon, loaded only where it is safe (Node 20)
  const BetterSqlite = require('better-sqlite3') as BetterSqliteConstructor;
  const db = new BetterSqlite(file, options.readonly ? { readonly: true } : undefined);
  return {
    driver: 'better-sqlite3',
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    isOpen: () => db.open,
    close: () => db.close(),
  };
}
