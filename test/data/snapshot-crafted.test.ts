import { crc32 } from 'node:zlib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LoadReport, loadSharedDatabase } from '../../src/data/data-source';
import { readSnapshot, snapshotKey, snapshotPath } from '../../src/data/snapshot';
import { KqlDatabase } from '../../src/kql';

/**
 * A snapshot file is only a cache: whatever its header says (negative or fractional offsets, sizes
 * past the file, array kinds named after Object's own properties, a header that is not an object),
 * readSnapshot answers with a problem and the folder is parsed and the snapshot rebuilt: the bot starts.
 */

/** A file in the snapshot layout with this header and data area, checksum and length consistent. */
function craft(file: string, header: Record<string, unknown> | null, data: Buffer = Buffer.alloc(8)): void {
  const full = header === null ? null : { dataBytes: data.length, crc32: crc32(data), ...header };
  const headerBytes = Buffer.from(JSON.stringify(full), 'utf8');
  const lead = Buffer.alloc((8 + 4 + headerBytes.length + 7) & ~7);
  Buffer.from('HUNTSNAP').copy(lead, 0);
  lead.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(lead, 12);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([lead, data, Buffer.from('SNAPDONE')]));
}

const arrayAt = (ref: Record<string, unknown>) => ({ tables: [{ column: { $array: 'Uint8Array', offset: 0, length: 8, ...ref } }] });

let root: string;
let dir: string;
let cacheDir: string;
let key: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-crafted-'));
  dir = path.join(root, 'data');
  cacheDir = path.join(root, 'cache');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'DeviceInfo.jsonl'), `${JSON.stringify({ Timestamp: '2026-12-01T00:00:00Z', DeviceId: 'd1', DeviceName: 'ws-1' })}\n`);
  key = snapshotKey(dir);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('readSnapshot of a crafted file answers with a problem, never an exception', () => {
  const file = () => path.join(root, 'crafted.snapshot');

  it.each<[string, Record<string, unknown> | null]>([
    ['a negative array offset', { database: arrayAt({ offset: -8 }) }],
    ['a negative array length', { database: arrayAt({ length: -1 }) }],
    ['a fractional array offset', { database: arrayAt({ offset: 0.5 }) }],
    ['an array length past the data', { database: arrayAt({ length: 1e300 }) }],
    ['an offset that is a string', { database: arrayAt({ offset: '0' }) }],
    ['$array: "constructor"', { database: arrayAt({ $array: 'constructor' }) }],
    ['$array: "toString"', { database: arrayAt({ $array: 'toString' }) }],
    ['$array: "__proto__"', { database: arrayAt({ $array: '__proto__' }) }],
    ['a negative data length', { dataBytes: -8 }],
    ['a fractional data length', { dataBytes: 7.5 }],
    ['a header that is null', null],
  ])('%s', (_what, header) => {
    craft(file(), header === null ? null : { key, database: {}, ...header });
    let answer: ReturnType<typeof readSnapshot> | undefined;
    expect(() => (answer = readSnapshot(file(), header === null ? 'any' : key))).not.toThrow();
    expect(answer).toEqual({ problem: expect.any(String) });
  });
});

describe('a crafted snapshot in the cache folder', () => {
  it('does not stop the data from loading: it is replaced by a fresh one, and the reason is reported', () => {
    craft(snapshotPath(cacheDir, dir), { key, database: arrayAt({ $array: 'constructor', offset: -8 }) });
    const report: LoadReport = { snapshot: 'none' };
    const db = KqlDatabase.fromShared(loadSharedDatabase({ kind: 'folder', dir, cacheDir }, report));

    expect(report).toEqual({ snapshot: 'written', reason: expect.any(String) });
    expect(db.rowCount('DeviceInfo')).toBe(1);
    const again: LoadReport = { snapshot: 'none' };
    loadSharedDatabase({ kind: 'folder', dir, cacheDir }, again);
    expect(again).toEqual({ snapshot: 'used' });
  });

  it('whose arrays are sound but whose database is not one is replaced too', () => {
    craft(snapshotPath(cacheDir, dir), { key, database: { tables: 'not a list' } });
    const report: LoadReport = { snapshot: 'none' };
    const db = KqlDatabase.fromShared(loadSharedDatabase({ kind: 'folder', dir, cacheDir }, report));

    expect(report).toEqual({ snapshot: 'written', reason: expect.stringMatching(/^unusable/) });
    expect(db.rowCount('DeviceInfo')).toBe(1);
  });
});
