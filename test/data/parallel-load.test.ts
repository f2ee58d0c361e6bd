import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parallelKnownTablesLoader } from '../../src/backends/parallel-jsonl';
import { forEachLine, lineAlignedRanges, loadDataFolder } from '../../src/data/jsonl';
import { DataFileError } from '../../src/kql/errors';
import { KqlDatabase, KqlEngine } from '../../src/kql';
import type { SharedDatabase } from '../../src/kql/database';

/** Rows that exercise every path of the byte scanner and its JSON.parse fallback. */
const EVENTS = [
  { Timestamp: '2024-05-01T10:00:00.1234567Z', DeviceId: 'd1', DeviceName: 'wks-1', ActionType: 'A', FileSize: 12, AdditionalFields: { a: [1, 'x', { b: null }], c: 'é' }, IsProcessRemoteSession: true },
  { Timestamp: '2024-05-01T10:00:01Z', DeviceId: 'd2', DeviceName: 'Zürich — 東京 🚀', FileSize: null, AdditionalFields: '{"as":"text"}', IsProcessRemoteSession: false },
  { Timestamp: '2024-05-01 10:00:02', DeviceId: 'd1', DeviceName: 'quote " and \\ backslash\ttab', FileSize: -1.5e3, AdditionalFields: [1, 2, 3], RemotePort: 443 },
  { TimeGenerated: '2024-05-01T10:00:03Z', DeviceId: 'd3', DeviceName: 'wks-1', FileSize: 9007199254740991, AdditionalFields: 42, LocalPort: '8080' },
  { Timestamp: 'not a date', DeviceId: 'd\u0000nul', DeviceName: '\ud83d\ude80 escaped', FileSize: '17', AdditionalFields: null, InitiatingProcessId: 0.000001 },
  { Timestamp: '2024-05-01T10:00:05Z', 'Device\u0049d': 'escaped key', DeviceName: 'wks-2', ReportId: 1e21, AdditionalFields: { nested: { deeper: ['[', '{', '"'] } } },
];

/** The file's lines: the rows above written out several times (with the odd unusual line in between). */
function eventLines(copies: number): string[] {
  const lines: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const [k, row] of EVENTS.entries()) lines.push(k === 2 ? `  ${JSON.stringify(row, null, 0)}\r` : JSON.stringify({ ...row, ReportId: copy * 100 + k }));
    if (copy === 3) lines.push('{"DeviceId": "broken", ');
    if (copy === 5) lines.push('', '   ', '[1, 2]');
    if (copy === 7) lines.push(`{"DeviceId": "long line", "AdditionalFields": {"pad": "${'x'.repeat(3000)}"}}`);
  }
  return lines;
}

/** Every array as its values (NaN spelled out), so two loads compare value for value. */
function plain(database: SharedDatabase): unknown {
  return JSON.parse(
    JSON.stringify(database, (_key, value: unknown) => (ArrayBuffer.isView(value) ? Array.from(value as Float64Array, (v) => (Number.isNaN(v) ? 'NaN' : v)) : value)),
  );
}

function cells(db: KqlDatabase, query: string): unknown {
  return new KqlEngine(db).query(query);
}

describe('a data folder parsed in parallel, chunk by chunk (parallelKnownTablesLoader)', () => {
  let dir: string;
  let sequential: SharedDatabase;
  let parallel: SharedDatabase;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-load-'));
    fs.writeFileSync(path.join(dir, 'DeviceEvents.jsonl'), eventLines(12).join('\n'));
    fs.writeFileSync(path.join(dir, 'DeviceInfo.jsonl'), `${JSON.stringify({ Timestamp: '2024-05-01T00:00:00Z', DeviceId: 'd1', DeviceName: 'wks-1' })}\n`);
    fs.writeFileSync(path.join(dir, 'CustomThing.jsonl'), '{"Name":"x","Size":3}\n{"Name":"y","Size":4}\n');
    sequential = loadDataFolder(dir, { shared: true }).toShared();
    // Chunks of ~300 bytes: many per file, cut at every kind of line, parsed by 3 threads.
    parallel = loadDataFolder(dir, { shared: true, loadKnownTables: parallelKnownTablesLoader({ threads: 3, chunkBytes: 300 }) }).toShared();
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the same tables as one sequential pass, array for array: dictionaries in the same order, dynamic values, nulls, datetimes to the tick', () => {
    expect(plain(parallel)).toEqual(plain(sequential));
    expect(parallel.tables.find((t) => t.schema.name === 'DeviceEvents')!.length).toBe(12 * EVENTS.length + 1);
  });

  it('reports a dropped line and an unusable timestamp with the same file and line numbers', () => {
    expect(parallel.notes).toEqual(sequential.notes);
    expect(parallel.tableIssues).toEqual(sequential.tableIssues);
    const events = new Map(parallel.tableIssues).get('DeviceEvents')!;
    expect(events[0]).toMatch(/^2 lines of DeviceEvents\.jsonl were dropped: invalid JSON \(.+\) at DeviceEvents\.jsonl:25$/);
    expect(events[1]).toMatch(/^\d+ of 73 rows of DeviceEvents\.jsonl have no Timestamp that parses .* \(first at line 5\)/);
  });

  it('answers queries exactly as the sequentially loaded folder does', () => {
    const query = 'DeviceEvents | extend Bag = tostring(AdditionalFields) | summarize n = count(), size = sum(FileSize), bags = make_set(Bag), earliest = min(Timestamp) by DeviceId, DeviceName, IsProcessRemoteSession | order by DeviceId asc, DeviceName asc';
    expect(cells(KqlDatabase.fromShared(parallel), query)).toEqual(cells(KqlDatabase.fromShared(sequential), query));
  });

  it('loads a file smaller than one chunk as one piece, on this thread alone, with the same result', () => {
    const whole = loadDataFolder(dir, { shared: true, loadKnownTables: parallelKnownTablesLoader({ threads: 4 }) }).toShared();
    expect(plain(whole)).toEqual(plain(sequential));
  });

  it('gives the same result when every chunk is parsed by the other threads and only merged here', () => {
    const others = loadDataFolder(dir, { shared: true, loadKnownTables: parallelKnownTablesLoader({ threads: 3, chunkBytes: 300, parseHere: false, stealAfterMs: 120_000 }) }).toShared();
    expect(plain(others)).toEqual(plain(sequential));
  }, 150_000);

  it('still loads, here, when no other thread answers', () => {
    const alone = loadDataFolder(dir, { shared: true, loadKnownTables: parallelKnownTablesLoader({ threads: 1, chunkBytes: 300, parseHere: false, stealAfterMs: 20 }) }).toShared();
    expect(plain(alone)).toEqual(plain(sequential));
  });

  it('fails naming the file when a file cannot be read', () => {
    const load = parallelKnownTablesLoader({ threads: 2, chunkBytes: 300 });
    const missing = path.join(dir, 'Gone.jsonl');
    expect(() => load([{ file: missing, schema: { name: 'DeviceInfo', columns: [] } }])).toThrow(DataFileError);
    expect(() => load([{ file: missing, schema: { name: 'DeviceInfo', columns: [] } }])).toThrow(/Gone\.jsonl/);
  });
});

describe('cutting a file on line boundaries (lineAlignedRanges)', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-ranges-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function linesOf(file: string, ranges: Array<{ start: number; end: number }>): string[] {
    const out: string[] = [];
    for (const { start, end } of ranges) forEachLine(file, (buf, s, e) => out.push(buf.toString('utf8', s, e)), start, end);
    return out;
  }

  it.each([
    ['ends with a newline', 'a\nbb\nccc\n\ndddd\n'],
    ['ends without one', 'a\nbb\nccc\n\ndddd'],
    ['has a line longer than a chunk', `a\n${'x'.repeat(200_000)}\nb\n`],
    ['is one line', 'only'],
  ])('gives ranges that start after a newline and together hold every line once, when the file %s', (_name, text) => {
    const file = path.join(dir, 'f.jsonl');
    fs.writeFileSync(file, text);
    const whole: string[] = [];
    forEachLine(file, (buf, s, e) => whole.push(buf.toString('utf8', s, e)));
    for (const chunk of [1, 3, 7, 1000]) {
      const ranges = lineAlignedRanges(file, chunk);
      expect(ranges[0].start).toBe(0);
      expect(ranges[ranges.length - 1].end).toBe(Buffer.byteLength(text));
      for (const r of ranges.slice(1)) expect(text[Buffer.from(text).subarray(0, r.start).toString().length - 1]).toBe('\n');
      expect(linesOf(file, ranges)).toEqual(whole);
    }
  });

  it('gives no range for an empty file', () => {
    const file = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(file, '');
    expect(lineAlignedRanges(file, 10)).toEqual([]);
  });
});
