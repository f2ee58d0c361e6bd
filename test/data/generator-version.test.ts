import { createHash } from 'node:crypto';
import { GENERATOR_VERSION, generateTelemetry } from '../../src/data/generator';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';

/**
 * Snapshots of the sample in HUNT_CACHE_DIR are keyed by GENERATOR_VERSION, not by the rows: a
 * generator change that keeps the version would let every start keep serving the old rows. This
 * pins the rows of a small sample (every table, the plan, the incident stories) to the version.
 */
const PINNED = { version: 1, sha1: '4be040a4b2a386b64f769589e6382682d2a81549' };

test('the generator gives the pinned rows for its version (changed the rows? bump GENERATOR_VERSION and re-pin both)', () => {
  const rows = generateTelemetry({ seed: 7, now: new Date('2026-01-01T00:00:00Z'), devices: 12, rows: 500, huntingTables: HUNTING_TABLES });
  const sha1 = createHash('sha1').update(JSON.stringify(rows)).digest('hex');
  expect({ version: GENERATOR_VERSION, sha1 }).toEqual(PINNED);
});
