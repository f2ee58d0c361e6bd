import { KqlDatabase } from '../kql';
import { DEFAULT_SEED, generateTelemetry, sampleNow } from './generator';
import { HUNTING_TABLES } from './hunting-tables';

const databases = new Map<string, KqlDatabase>();

/**
 * The generated sample telemetry as an engine database: the default data when no data folder is
 * configured. It has the RMM hunts' tables and the hunting tables (DeviceEvents, EmailEvents, …). Built once per process for each seed / `now` (without `now`, the start of the current
 * UTC hour, as the CLI's `gen-data` and `query` use, so they show the same timestamps).
 */
export function sampleDatabase(options: { now?: Date; seed?: number } = {}): KqlDatabase {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? sampleNow();
  const key = `${seed}|${now.toISOString()}`;
  let database = databases.get(key);
  if (!database) {
    database = KqlDatabase.fromRows(generateTelemetry({ seed, now, huntingTables: HUNTING_TABLES }), { source: 'the generated sample telemetry' });
    databases.set(key, database);
  }
  return database;
}
