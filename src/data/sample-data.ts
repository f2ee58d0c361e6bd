import { KqlDatabase } from '../kql';
import { DEFAULT_SEED, generateTelemetry } from './generator';

const databases = new Map<string, KqlDatabase>();

/**
 * The generated sample telemetry as an engine database: the default data when no data folder is
 * configured. Built once per process for each seed / `now` (without `now`, the first call's clock).
 */
export function sampleDatabase(options: { now?: Date; seed?: number } = {}): KqlDatabase {
  const seed = options.seed ?? DEFAULT_SEED;
  const key = `${seed}|${options.now ? options.now.toISOString() : 'clock'}`;
  let database = databases.get(key);
  if (!database) {
    database = KqlDatabase.fromRows(generateTelemetry({ seed, now: options.now }), { source: 'the generated sample telemetry' });
    databases.set(key, database);
  }
  return database;
}
