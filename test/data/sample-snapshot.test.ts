import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LoadReport, loadSharedDatabase, type DataSource } from '../../src/data/data-source';
import { DEFAULT_SEED, sampleNow } from '../../src/data/generator';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';
import { sampleSnapshotKey, sampleSnapshotPath } from '../../src/data/sample-snapshot';
import { writeSnapshot } from '../../src/data/snapshot';
import { KqlDatabase } from '../../src/kql';
import type { SharedDatabase } from '../../src/kql/database';

const NOW = new Date('2026-11-28T03:00:00Z');
const PARTS = { seed: DEFAULT_SEED, nowMs: NOW.getTime(), huntingTables: true };

/** The database's layout and every column's bytes, hashed: equal for the same rows (generation is deterministic). */
function fingerprint(database: SharedDatabase): string {
  const hash = createHash('sha1');
  const layout = JSON.stringify(database, (_key, value: unknown) => {
    if (!ArrayBuffer.isView(value)) return value;
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return `${value.constructor.name}(${value.byteLength})`;
  });
  return `${hash.update(layout).digest('hex')} ${KqlDatabase.fromShared(database).tableNames().length} tables`;
}

describe('the snapshot of the generated sample in HUNT_CACHE_DIR', () => {
  let cacheDir: string;
  let source: DataSource;
  let cold: { report: LoadReport; database: SharedDatabase; answer: unknown };
  const file = () => sampleSnapshotPath(cacheDir, PARTS);
  const answer = fingerprint;
  const load = (from: DataSource = source) => {
    const report: LoadReport = { snapshot: 'none' };
    const database = loadSharedDatabase(from, report);
    return { report, database, answer: answer(database) };
  };

  beforeAll(() => {
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-snapshot-'));
    source = { kind: 'sample', seed: DEFAULT_SEED, nowMs: NOW.getTime(), cacheDir };
    cold = load();
  });
  afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  test('is generated and written on the first load, when there is none yet', () => {
    expect(cold.report).toEqual({ snapshot: 'written', reason: 'no snapshot yet' });
    expect(fs.statSync(file()).size).toBeGreaterThan(1_000_000);
    expect(KqlDatabase.fromShared(cold.database).tableNames()).toEqual(expect.arrayContaining(['DeviceProcessEvents', ...HUNTING_TABLES]));
  });

  test('is used on the next load and gives the rows generating gave', () => {
    const warm = load();
    expect(warm.report).toEqual({ snapshot: 'used' });
    expect(warm.answer).toEqual(cold.answer);
  });

  test.each([
    ['corrupt (a byte of the data changed)', 'checksum mismatch', (bytes: Buffer) => {
      bytes[bytes.length - 100] ^= 0xff;
      return bytes;
    }],
    ['truncated', 'truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['a foreign file', 'not a snapshot file', () => Buffer.from('{"some":"other cache file"}')],
  ])('that is %s is not used: the sample is generated again and the snapshot rewritten', (_what, problem, spoil) => {
    fs.writeFileSync(file(), spoil(fs.readFileSync(file())));
    const again = load();
    expect(again.report.snapshot).toBe('written');
    expect(again.report.reason).toContain(problem);
    expect(again.answer).toEqual(cold.answer);
    expect(load().report).toEqual({ snapshot: 'used' });
  });

  test("made by another generator version is stale: generated again and rewritten", () => {
    const otherVersion = JSON.stringify({ ...JSON.parse(sampleSnapshotKey(PARTS)), generator: -1 });
    writeSnapshot(file(), otherVersion, cold.database);
    const again = load();
    expect(again.report).toEqual({ snapshot: 'written', reason: expect.stringContaining('stale') });
    expect(again.answer).toEqual(cold.answer);
  });

  test('of another hour, seed or table set is not this one', () => {
    const key = sampleSnapshotKey(PARTS);
    const nextHour = { ...PARTS, nowMs: PARTS.nowMs + 3_600_000 };
    expect(sampleSnapshotKey(nextHour)).not.toBe(key);
    expect(sampleSnapshotPath(cacheDir, nextHour)).toBe(file());
    for (const other of [{ ...PARTS, seed: 7 }, { ...PARTS, huntingTables: false }]) {
      expect(sampleSnapshotKey(other)).not.toBe(key);
      expect(sampleSnapshotPath(cacheDir, other)).not.toBe(file());
    }
  });

  test('that cannot be written costs only the speed: the sample is still generated and says why', () => {
    const blocked = path.join(cacheDir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const report: LoadReport = { snapshot: 'none' };
    const database = loadSharedDatabase({ ...source, cacheDir: blocked }, report);
    expect(report.snapshot).toBe('none');
    expect(report.reason).toMatch(/^no snapshot yet; not written: /);
    expect(answer(database)).toEqual(cold.answer);
  });
});

describe("the sample's hour", () => {
  test('is the start of the UTC hour, so every start within the hour can use the same snapshot', () => {
    expect(sampleNow(new Date('2026-11-28T03:59:59.999Z'))).toEqual(NOW);
  });
});
