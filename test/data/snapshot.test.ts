import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type LoadReport, loadSharedDatabase } from '../../src/data/data-source';
import { loadDataFolder } from '../../src/data/jsonl';
import { readSnapshot, snapshotKey, snapshotPath, writeSnapshot } from '../../src/data/snapshot';
import { KqlDatabase } from '../../src/kql';
import type { TableSchema } from '../../src/kql/schema';
import { tableFromRows } from '../../src/kql/storage/table-builder';

const CERTIFICATES = [
  { Timestamp: '2024-05-01T10:00:00.1234567Z', DeviceId: 'd1', DeviceName: 'Zürich-PC 東京 🚀', Signer: 'NCH Software', ReportId: 7, IsSigned: true },
  { TimeGenerated: '2024-05-02T11:00:00Z', DeviceId: 'd2', DeviceName: '', ReportId: null, IsSigned: null },
  { DeviceId: 'd3', Signer: 'Quote " and \\ backslash' },
];
/** Not a Defender table: loaded with inferred types, dynamic and real included. */
const EXTRA = [
  { Name: 'a', Score: 1.5, Bag: { k: [1, 'x'] }, When: '2024-01-01T00:00:00Z', Ok: true },
  { Name: 'ü', Score: null, Bag: [1, 2], When: null, Ok: false },
  { Name: 'c', Score: 3, Bag: 'text', Ok: null },
];

function writeFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), `${CERTIFICATES.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
  fs.writeFileSync(path.join(dir, 'Extra.jsonl'), EXTRA.map((r) => JSON.stringify(r)).join('\n'));
}

function cells(db: KqlDatabase): Record<string, unknown[][]> {
  const out: Record<string, unknown[][]> = {};
  for (const name of db.tableNames()) {
    const data = db.table(name)!;
    out[name] = data.columns.map((column) => Array.from({ length: data.length }, (_, row) => column.get(row)));
  }
  return out;
}

describe('the columnar snapshot of a data folder', () => {
  let root: string;
  let dir: string;
  let cacheDir: string;
  let parsed: KqlDatabase;

  const load = (): { db: KqlDatabase; report: LoadReport } => {
    const report: LoadReport = { snapshot: 'none' };
    return { db: KqlDatabase.fromShared(loadSharedDatabase({ kind: 'folder', dir, cacheDir }, report)), report };
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-'));
    dir = path.join(root, 'data');
    cacheDir = path.join(root, 'cache');
    writeFolder(dir);
    parsed = loadDataFolder(dir);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is written on the first load and read on the next, with every value, note and table issue the JSON load gives', () => {
    const first = load();
    expect(first.report).toEqual({ snapshot: 'written', reason: 'no snapshot yet' });
    const second = load();
    expect(second.report).toEqual({ snapshot: 'used' });
    for (const { db } of [first, second]) {
      expect(cells(db)).toEqual(cells(parsed));
      expect(db.notes).toEqual(parsed.notes);
      expect(db.provenance).toEqual(parsed.provenance);
      expect(db.extraSchemas()).toEqual(parsed.extraSchemas());
    }
  });

  it('is rebuilt when it was cut short', () => {
    load();
    const file = snapshotPath(cacheDir, dir);
    fs.truncateSync(file, fs.statSync(file).size - 100);
    const again = load();
    expect(again.report).toEqual({ snapshot: 'written', reason: expect.stringMatching(/^truncated/) });
    expect(cells(again.db)).toEqual(cells(parsed));
    expect(load().report.snapshot).toBe('used');
  });

  it('is rebuilt when a byte of its data changed', () => {
    load();
    const file = snapshotPath(cacheDir, dir);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 20] ^= 0xff;
    fs.writeFileSync(file, bytes);
    expect(load().report).toEqual({ snapshot: 'written', reason: 'checksum mismatch' });
  });

  it('is rebuilt when a data file changed, and then holds the new rows', () => {
    load();
    fs.appendFileSync(path.join(dir, 'Extra.jsonl'), `\n${JSON.stringify({ Name: 'new', Score: 9 })}`);
    const again = load();
    expect(again.report).toEqual({ snapshot: 'written', reason: expect.stringMatching(/^stale/) });
    expect(again.db.rowCount('Extra')).toBe(4);
    expect(cells(again.db)).toEqual(cells(loadDataFolder(dir)));
  });

  it('is rebuilt when a data file is added', () => {
    load();
    fs.writeFileSync(path.join(dir, 'DeviceInfo.jsonl'), JSON.stringify({ DeviceId: 'd9' }));
    const again = load();
    expect(again.report.reason).toMatch(/^stale/);
    expect(again.db.rowCount('DeviceInfo')).toBe(1);
  });

  it('made by another snapshot format version is not used', () => {
    const key = JSON.parse(snapshotKey(dir)) as { format: number };
    writeSnapshot(snapshotPath(cacheDir, dir), JSON.stringify({ ...key, format: key.format - 1 }), loadDataFolder(dir, { shared: true }).toShared());
    expect(load().report).toEqual({ snapshot: 'written', reason: expect.stringMatching(/^stale/) });
  });

  it('that is not a snapshot at all is replaced', () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(snapshotPath(cacheDir, dir), 'garbage');
    expect(load().report).toEqual({ snapshot: 'written', reason: 'not a snapshot file' });
  });

  it('that cannot be written only costs speed: the data still loads, and the reason is reported', () => {
    fs.writeFileSync(path.join(root, 'a-file'), '');
    const report: LoadReport = { snapshot: 'none' };
    const db = KqlDatabase.fromShared(loadSharedDatabase({ kind: 'folder', dir, cacheDir: path.join(root, 'a-file', 'cache') }, report));
    expect(report.snapshot).toBe('none');
    expect(report.reason).toMatch(/not written/);
    expect(cells(db)).toEqual(cells(parsed));
  });
});

describe('a snapshot of every stored column type', () => {
  const schema: TableSchema = {
    name: 'Everything',
    columns: [
      { name: 'Text', type: 'string' },
      { name: 'At', type: 'datetime' },
      { name: 'Count', type: 'long' },
      { name: 'Flag', type: 'bool' },
      { name: 'Bag', type: 'dynamic' },
      { name: 'Took', type: 'timespan' },
      { name: 'Id', type: 'guid' },
    ],
  };
  const rows = [
    { Text: 'Zürich — 東京 🚀', At: '2024-05-01T10:00:00.1234567Z', Count: 1, Flag: true, Bag: { a: [1, 'x'] }, Took: '01:02:03', Id: 'a1b2c3d4-0000-0000-0000-000000000001' },
    { Text: '', At: null, Count: null, Flag: null, Bag: null, Took: null, Id: null },
  ];

  it('reads back exactly what was written', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-types-'));
    try {
      const db = KqlDatabase.fromTables([{ schema, data: tableFromRows(schema, rows) }]);
      const file = path.join(dir, 'x.snapshot');
      writeSnapshot(file, 'k', db.toShared());
      const read = readSnapshot(file, 'k');
      if (!('database' in read)) throw new Error(read.problem);
      expect(cells(KqlDatabase.fromShared(read.database))).toEqual(cells(db));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
