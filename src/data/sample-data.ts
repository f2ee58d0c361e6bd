import { KqlDatabase } from '../kql';
import { type LoadReport, loadSharedDatabase } from './data-source';
import { DEFAULT_SEED, sampleNow } from './generator';

const databases = new Map<string, KqlDatabase>();

/**
 * The generated sample telemetry as an engine database: the default data when no data folder is
 * configured. It has the RMM hunts' tables and the hunting tables (DeviceEvents, EmailEvents, …). Built once per process for each seed / `now` (without `now`, the start of the current
 * UTC hour, as the CLI's `gen-data` and `query` use, so they show the same timestamps). With a
 * `cacheDir` (HUNT_CACHE_DIR) it is read from the sample's snapshot there when that is current, and
 * generated and the snapshot written otherwise; `report` says which.
 */
export function sampleDatabase(options: { now?: Date; seed?: number; cacheDir?: string; report?: LoadReport } = {}): KqlDatabase {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? sampleNow();
  const key = `${seed}|${now.toISOString()}`;
  let database = databases.get(key);
  if (!database) {
    const shared = loadSharedDatabase({ kind: 'sample', seed, nowMs: now.getTime(), huntingTables: true, cacheDir: options.cacheDir }, options.report);
    database = KqlDatabase.fromShared(shared);
    databases.set(key, database);
  } else if (options.report) {
    options.report.reason = 'already in memory (built earlier by this process)';
  }
  return database;
}
