import { join } from 'node:path';
import { GENERATOR_VERSION } from './generator';
import { SNAPSHOT_FORMAT, bundledSchemaHash } from './snapshot';

/** What the generated sample is made of: the same parts give the same rows. */
export interface SampleParts {
  seed: number;
  /** The data's "now" (the bot and the CLI: the start of the UTC hour, sampleNow()). */
  nowMs: number;
  /** With the hunting tables (DeviceEvents, EmailEvents, …) on top of the RMM hunts' tables. */
  huntingTables: boolean;
}

/**
 * Where the sample's snapshot lives in `cacheDir`: one file per seed and table set, rewritten when
 * its hour (or the generator, schema or format) changes, so the folder does not fill up hour by hour.
 */
export function sampleSnapshotPath(cacheDir: string, parts: SampleParts): string {
  return join(cacheDir, `sample-${parts.seed}${parts.huntingTables ? '-hunting' : ''}.snapshot`);
}

/** What identifies the sample's rows: generator version, seed, now, table set, schema and snapshot format. */
export function sampleSnapshotKey(parts: SampleParts): string {
  return JSON.stringify({
    format: SNAPSHOT_FORMAT,
    generator: GENERATOR_VERSION,
    seed: parts.seed,
    now: new Date(parts.nowMs).toISOString(),
    huntingTables: parts.huntingTables,
    schema: bundledSchemaHash(),
  });
}
