import { errorMessage } from '../util/error-message';
import { KqlDatabase, type SharedDatabase } from '../kql/database';
import { DEFAULT_SEED } from './generator';
import { type KnownTablesLoader, loadDataFolder } from './jsonl';
import { HUNTING_TABLES } from './hunting-tables';
import { telemetryDatabase } from './sample-columns';
import { sampleSnapshotKey, sampleSnapshotPath } from './sample-snapshot';
import { readSnapshot, snapshotKey, snapshotPath, writeSnapshot } from './snapshot';

/** Where the embedded engine's data comes from: a folder of `<Table>.jsonl` files, or the generated sample. */
export type DataSource =
  /** `cacheDir`: where the folder's columnar snapshot is kept (none: always parse the JSON). */
  | { kind: 'folder'; dir: string; cacheDir?: string }
  /**
   * `nowMs` is fixed by the caller so every thread that asks gets the same rows. `huntingTables`
   * (default true) adds DeviceEvents, EmailEvents, … as sampleDatabase has them. `cacheDir`: where the
   * sample's columnar snapshot is kept (none: always generate).
   */
  | { kind: 'sample'; seed?: number; nowMs: number; huntingTables?: boolean; cacheDir?: string };

/** How the data was loaded: from its snapshot, or parsed / generated (and why the snapshot was not used). */
export interface LoadReport {
  snapshot: 'used' | 'written' | 'none';
  /** Why a snapshot was not used or not written. */
  reason?: string;
}

/**
 * The source's tables built directly in shared memory, as plain data that can be posted to every
 * engine worker thread without copying a column. A folder with a `cacheDir` is read from its
 * snapshot there when that matches the files, and parsed (and the snapshot rewritten) otherwise.
 * @throws DataFileError when the folder or a file cannot be read.
 */
export function loadSharedDatabase(source: DataSource, report: LoadReport = { snapshot: 'none' }): SharedDatabase {
  const { database, saveSnapshot } = openSharedDatabase(source, report);
  saveSnapshot?.();
  return database;
}

/**
 * Like loadSharedDatabase, but a snapshot to write is left to the caller (`saveSnapshot`), so a
 * loader thread can hand the data over first and write the snapshot while the data is already in use.
 * `loadKnownTables`: how a folder's files of known tables are parsed (in parallel, say; see loadDataFolder).
 */
export function openSharedDatabase(source: DataSource, report: LoadReport = { snapshot: 'none' }, loadKnownTables?: KnownTablesLoader): { database: SharedDatabase; saveSnapshot?: () => void } {
  if (source.kind === 'folder') return loadFolder(source.dir, source.cacheDir, report, loadKnownTables);
  return loadSample(source, report);
}

function loadFolder(dir: string, cacheDir: string | undefined, report: LoadReport, loadKnownTables?: KnownTablesLoader): { database: SharedDatabase; saveSnapshot?: () => void } {
  const parse = () => loadDataFolder(dir, { shared: true, loadKnownTables }).toShared();
  if (cacheDir === undefined) return { database: parse() };
  let key: string;
  try {
    key = snapshotKey(dir);
  } catch {
    // An unreadable folder: let the loader say exactly what is wrong with it.
    return { database: parse() };
  }
  return throughSnapshot(snapshotPath(cacheDir, dir), key, parse, report);
}

/** The generated sample, from its snapshot in `cacheDir` when that holds this seed, hour, generator and schema. */
function loadSample(source: Extract<DataSource, { kind: 'sample' }>, report: LoadReport): { database: SharedDatabase; saveSnapshot?: () => void } {
  const parts = { seed: source.seed ?? DEFAULT_SEED, nowMs: source.nowMs, huntingTables: source.huntingTables ?? true };
  const generate = () => {
    const options = { seed: parts.seed, now: new Date(parts.nowMs), huntingTables: parts.huntingTables ? HUNTING_TABLES : [] };
    return telemetryDatabase(options, { source: 'the generated sample telemetry' }, true).toShared();
  };
  if (source.cacheDir === undefined) return { database: generate() };
  return throughSnapshot(sampleSnapshotPath(source.cacheDir, parts), sampleSnapshotKey(parts), generate, report);
}

/** The snapshot's database when it matches `key`; else `build()`'s, with the snapshot's rewrite left to the caller. */
function throughSnapshot(file: string, key: string, build: () => SharedDatabase, report: LoadReport): { database: SharedDatabase; saveSnapshot?: () => void } {
  const cached = usableSnapshot(file, key);
  if ('database' in cached) {
    report.snapshot = 'used';
    return { database: cached.database };
  }
  report.reason = cached.problem;
  const database = build();
  const saveSnapshot = () => {
    try {
      writeSnapshot(file, key, database);
      report.snapshot = 'written';
    } catch (error) {
      // A snapshot that cannot be written only costs the next start its speed.
      report.reason = `${cached.problem}; not written: ${(error as Error).message}`;
    }
  };
  return { database, saveSnapshot };
}

/** The snapshot's database only if it also has the shape of one (a crafted header can hold any JSON): else why not. */
function usableSnapshot(file: string, key: string): ReturnType<typeof readSnapshot> {
  const cached = readSnapshot(file, key);
  if (!('database' in cached)) return cached;
  try {
    KqlDatabase.fromShared(cached.database);
    return cached;
  } catch (error) {
    return { problem: `unusable (${errorMessage(error)})` };
  }
}
