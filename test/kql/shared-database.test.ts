import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataFolder } from '../../src/data/jsonl';
import { KqlDatabase, KqlEngine } from '../../src/kql';
import type { TableSchema } from '../../src/kql/schema';
import { StringColumn } from '../../src/kql/storage/column';
import { isShared } from '../../src/kql/storage/shared-memory';
import { tableFromRows } from '../../src/kql/storage/table-builder';

/** One column of every stored type, with nulls, Unicode and nested dynamic values. */
const ALL_TYPES: TableSchema = {
  name: 'Everything',
  columns: [
    { name: 'Text', type: 'string' },
    { name: 'At', type: 'datetime' },
    { name: 'Count', type: 'long' },
    { name: 'Ratio', type: 'real' },
    { name: 'Flag', type: 'bool' },
    { name: 'Bag', type: 'dynamic' },
    { name: 'Took', type: 'timespan' },
    { name: 'Id', type: 'guid' },
  ],
};

const ROWS: Array<Record<string, unknown>> = [
  { Text: 'plain', At: '2024-05-01T10:00:00.1234567Z', Count: 1, Ratio: 0.5, Flag: true, Bag: { a: [1, 'x'], b: null }, Took: '01:02:03', Id: 'A1B2C3D4-0000-0000-0000-000000000001' },
  { Text: 'Zürich — 東京 🚀', At: null, Count: null, Ratio: -1.25e10, Flag: false, Bag: [1, 2, 3], Took: null, Id: null },
  { Text: '', At: '1999-12-31T23:59:59Z', Count: 9007199254740991, Ratio: null, Flag: null, Bag: 'just text', Took: '-1.00:00:00.5', Id: 'a1b2c3d4-0000-0000-0000-000000000002' },
  { Text: 'plain', Bag: 42 },
  { Text: 'Zürich — 東京 🚀', Bag: { a: [1, 'x'], b: null } },
];

function cells(db: KqlDatabase, table: string): unknown[][] {
  const data = db.table(table)!;
  return data.columns.map((column) => Array.from({ length: data.length }, (_, row) => column.get(row)));
}

describe('a database shared between threads (KqlDatabase.toShared / fromShared)', () => {
  const original = KqlDatabase.fromTables([{ schema: ALL_TYPES, data: tableFromRows(ALL_TYPES, ROWS) }], ['a note'], {
    source: 'the test rows',
    tableIssues: new Map([['Everything', ['1 row has no Timestamp']]]),
  });
  const shared = original.toShared();
  const copy = KqlDatabase.fromShared(structuredClone(shared));

  it('keeps every value of every column type: strings with Unicode, datetimes to the tick, numbers, bools, nulls, dynamic bags and arrays, timespans, guids', () => {
    expect(cells(copy, 'Everything')).toEqual(cells(original, 'Everything'));
  });

  it('keeps the notes and what was wrong with each table', () => {
    expect(copy.notes).toEqual(['a note']);
    expect(copy.provenance).toEqual({ source: 'the test rows', tableIssues: new Map([['Everything', ['1 row has no Timestamp']]]) });
  });

  it('holds every column array in shared memory, so posting it to a worker copies nothing', () => {
    for (const column of shared.tables[0].columns) {
      const arrays = Object.values(column).filter((v): v is Uint8Array => ArrayBuffer.isView(v));
      const dict = 'dict' in column ? column.dict : 'texts' in column ? column.texts : undefined;
      if (dict) arrays.push(dict.bytes, dict.offsets as unknown as Uint8Array);
      expect(arrays.length).toBeGreaterThan(0);
      for (const array of arrays) expect(isShared(array)).toBe(true);
    }
  });

  it('gives each row its own dynamic object, as loading does', () => {
    const bags = copy.table('Everything')!.columns[5];
    expect(bags.get(0)).toEqual(bags.get(4));
    expect(bags.get(0)).not.toBe(bags.get(4));
  });

  it('answers queries exactly as the original', () => {
    const kql = "Everything | extend Parsed = tostring(Bag.a[1]) | where Text != '' | summarize n = count(), Latest = max(At), Took = max(Took) by Text, Parsed";
    expect(new KqlEngine(copy).query(kql)).toEqual(new KqlEngine(original).query(kql));
  });
});

describe('a data folder loaded for sharing (loadDataFolder with shared)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-load-'));
    const lines = ['{"Timestamp":"2024-05-01T10:00:00Z","DeviceId":"d1","DeviceName":"Zürich-PC","Signer":"NCH Software","ReportId":7,"IsSigned":true}', '{"DeviceId":"d2"}'];
    fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), lines.join('\n'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds its columns in shared memory directly: sharing them copies no column', () => {
    const db = loadDataFolder(dir, { shared: true });
    const names = db.table('DeviceFileCertificateInfo')!.columns[2] as StringColumn;
    expect(isShared(names.codes)).toBe(true);
    const shared = db.toShared();
    const column = shared.tables[0].columns[2];
    expect(column.kind === 'string' && column.codes).toBe(names.codes);
  });

  it('sizes each column once from an estimate of the rows: no doubling, and no final copy when the estimate was close', () => {
    const big = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-estimate-'));
    try {
      const lines = Array.from({ length: 5000 }, (_, k) => JSON.stringify({ Timestamp: '2024-05-01T10:00:00Z', DeviceId: `d${k % 7}`, ReportId: 100000 + k }));
      fs.writeFileSync(path.join(big, 'DeviceFileCertificateInfo.jsonl'), lines.join('\n'));
      const table = loadDataFolder(big, { shared: true }).table('DeviceFileCertificateInfo')!;
      const ids = table.columns[2] as StringColumn;
      expect(ids.codes.length).toBe(5000);
      expect(ids.codes.buffer.byteLength).toBeGreaterThanOrEqual(5000 * 4);
      expect(ids.codes.buffer.byteLength).toBeLessThanOrEqual(5000 * 4 * 1.15 + 256);
      expect(ids.get(4999)).toBe('d1');
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('gives the same values as the ordinary load', () => {
    const plain = loadDataFolder(dir);
    const shared = KqlDatabase.fromShared(loadDataFolder(dir, { shared: true }).toShared());
    expect(cells(shared, 'DeviceFileCertificateInfo')).toEqual(cells(plain, 'DeviceFileCertificateInfo'));
    expect(shared.notes).toEqual(plain.notes);
    expect(shared.provenance).toEqual(plain.provenance);
  });
});
