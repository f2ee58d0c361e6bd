import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeSchema, KqlDatabase, knownSchema, knownSchemaIgnoringCase } from '../kql/database';
import { DataFileError } from '../kql/errors';
import type { TableSchema } from '../kql/schema';
import { JsonLinesColumnLoader, LineError, parseObjectLine } from '../kql/storage/jsonl-columns';
import { DateTimeColumn } from '../kql/storage/column';
import type { Table } from '../kql/storage/table';
import { fillTimeAliases } from '../kql/storage/time-aliases';
import { inferSchema, tableFromRows } from '../kql/storage/table-builder';
import { errorMessage } from '../util/error-message';

const CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Calls `onLine(buffer, start, end, lineNo)` for each line of a file (without its newline), reading
 * the file in chunks so files far larger than a JavaScript string work. With `from`/`to`, only the
 * lines of that byte range (which starts after a newline) are read, numbered from 1.
 */
export function forEachLine(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void, from = 0, to = Infinity): void {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(Number.isFinite(to) ? Math.min(CHUNK_BYTES, Math.max(64 * 1024, to - from)) : CHUNK_BYTES);
    let filled = 0;
    let lineNo = 0;
    let position = from;
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, Math.min(buf.length - filled, to - position), position);
      position += n;
      const end = filled + n;
      let start = 0;
      for (;;) {
        const newline = buf.indexOf(10, start);
        if (newline < 0 || newline >= end) break;
        onLine(buf, start, newline, ++lineNo);
        start = newline + 1;
      }
      if (n === 0) {
        if (start < end) onLine(buf, start, end, ++lineNo);
        return;
      }
      buf.copy(buf, 0, start, end);
      filled = end - start;
    }
  } finally {
    closeSync(fd);
  }
}

/** A byte range of a file: [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The file cut into byte ranges of about `chunkBytes` that each start after a newline, so every
 * line lies wholly in one range. A file smaller than one chunk is one range (an empty file none).
 */
export function lineAlignedRanges(file: string, chunkBytes: number): ByteRange[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const ranges: ByteRange[] = [];
    const probe = Buffer.allocUnsafe(64 * 1024);
    let start = 0;
    while (start < size) {
      ranges.push({ start, end: nextLineStart(fd, probe, start + Math.max(1, chunkBytes) - 1, size) });
      start = ranges[ranges.length - 1].end;
    }
    return ranges;
  } finally {
    closeSync(fd);
  }
}

/** Just after the first newline at or after `at`, or the file's size when there is none. */
function nextLineStart(fd: number, probe: Buffer, at: number, size: number): number {
  while (at < size) {
    const n = readSync(fd, probe, 0, probe.length, at);
    if (n <= 0) break;
    const newline = probe.indexOf(10);
    if (newline >= 0 && newline < n) return at + newline + 1;
    at += n;
  }
  return size;
}

/** Lines that are not one JSON object, when the caller keeps loading past them: their numbers and the first reason. */
export interface DroppedLines {
  lines: number[];
  firstReason?: string;
}

/** Runs `load` for a line; a LineError is counted in `dropped` when given, thrown otherwise. */
export function guarded(dropped: DroppedLines | undefined, lineNo: number, load: () => void): void {
  if (!dropped) return load();
  try {
    load();
  } catch (e) {
    if (!(e instanceof LineError)) throw e;
    dropped.lines.push(lineNo);
    dropped.firstReason ??= e.message;
  }
}

/** Rows a JSONL file probably holds: its size over the mean length of its first lines (a little over, never under 1024). */
export function estimateRows(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.allocUnsafe(Math.min(size, 256 * 1024));
    const n = readSync(fd, head, 0, head.length, 0);
    let lines = 0;
    for (let i = head.indexOf(10); i >= 0 && i < n; i = head.indexOf(10, i + 1)) lines++;
    if (lines === 0) return 1024;
    return Math.max(1024, Math.ceil((size / (n / lines)) * 1.05));
  } finally {
    closeSync(fd);
  }
}

function loadKnownTable(file: string, schema: TableSchema, dropped: DroppedLines | undefined, shared: boolean): Table {
  // Shared columns are sized once from an estimate: no doubling, and no copy when it was close.
  const loader = new JsonLinesColumnLoader(schema, shared, shared ? estimateRows(file) : 1024);
  forEachLine(file, (buf, start, end, lineNo) => guarded(dropped, lineNo, () => loader.addLine(buf, start, end, lineNo)));
  return loader.build();
}

function readRows(file: string, dropped: DroppedLines | undefined): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  forEachLine(file, (buf, start, end, lineNo) => {
    const text = buf.toString('utf8', start, end);
    if (text.trim() !== '') guarded(dropped, lineNo, () => rows.push(parseObjectLine(text, lineNo)));
  });
  return rows;
}

/**
 * Loads one table from a JSONL file: typed by schema.ts when known (streamed straight into
 * columns), otherwise read as objects and typed by inference (noted in `notes`). A malformed line
 * fails the load, unless `dropped` is given to count such lines instead.
 */
export function loadTableFile(file: string, name: string, notes: string[], dropped?: DroppedLines, shared = false): { schema: TableSchema; data: Table } {
  try {
    const schema = knownSchema(name);
    if (schema) return { schema, data: loadKnownTable(file, schema, dropped, shared) };
    const rows = readRows(file, dropped);
    const inferred = inferSchema(name, rows);
    notes.push(`${basename(file)}: ${name} is not a known Defender table; loaded with inferred schema ${describeSchema(inferred)}`);
    return { schema: inferred, data: tableFromRows(inferred, rows, shared) };
  } catch (e) {
    if (e instanceof LineError) throw new DataFileError(file, e.lineNo, e.message, { cause: e });
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(file, 0, errorMessage(e), { cause: e });
  }
}

/**
 * Loads every `<TableName>.jsonl` in `dir` (one JSON object per line, datetimes as ISO 8601 UTC
 * strings). Tables schema.ts describes are typed by it; other tables are loaded with inferred types
 * and a note in `db.notes`. Other files are ignored.
 *
 * A file whose name differs from a Defender table only in case (`devicefilecertificateinfo.jsonl`)
 * is loaded as that table, with a note: exports and case-insensitive file systems do not keep the
 * case, schema.ts has no two tables that differ only in case, and loading it under the wrong name
 * would make every hunt on that table silently see nothing. If the exact name is there too, it wins
 * and the other file is skipped with a note.
 *
 * Lines that are not one JSON object are dropped, and rows no hunt window can include (no Timestamp
 * that parses) kept; both are counted per table in `db.provenance.tableIssues` (with the first
 * line), so results that read the table say so instead of looking clean. One bad line of a large
 * export must not stop every hunt.
 * With `shared`, columns are built in shared memory, for worker threads to share (KqlDatabase.toShared).
 * With `loadKnownTables`, the files of known tables are loaded by it (in parallel, see src/backends/parallel-jsonl.ts) with the same result.
 * @throws DataFileError when the folder or a file cannot be read.
 */
export function loadDataFolder(dir: string, options: { shared?: boolean; loadKnownTables?: KnownTablesLoader } = {}): KqlDatabase {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir)
      .filter((f) => /\.jsonl$/i.test(f))
      .sort();
  } catch (e) {
    throw new DataFileError(dir, 0, `cannot read the data folder (${errorMessage(e)})`, { cause: e });
  }
  const notes: string[] = [];
  const files = tableFiles(names, notes);
  const dropped = files.map((): DroppedLines => ({ lines: [] }));
  const loaded = loadKnown(dir, files, options.loadKnownTables);
  const tables = files.map(({ file, table }, index) => {
    const known = loaded.get(index);
    if (!known) return loadTableFile(join(dir, file), table, notes, dropped[index], options.shared === true);
    dropped[index] = known.dropped;
    return { schema: knownSchema(table)!, data: known.data };
  });
  const tableIssues = new Map<string, string[]>();
  files.forEach(({ file }, index) => {
    const issues = [
      malformedLines(file, dropped[index]),
      unusableTimestamps(join(dir, file), fillTimeAliases(tables[index].data), dropped[index]),
    ].filter((issue): issue is string => issue !== undefined);
    if (issues.length > 0) tableIssues.set(tables[index].schema.name, issues);
  });
  if (names.length === 0) notes.push(`${dir}: no .jsonl files found`);
  for (const issues of tableIssues.values()) notes.push(...issues);
  return KqlDatabase.fromTables(tables, notes, { source: dir, tableIssues });
}

/**
 * Loads the files of known tables in one go (across threads, say): each one's table, in shared
 * memory, and the lines it dropped, in the order given.
 * @throws DataFileError when a file cannot be read.
 */
export type KnownTablesLoader = (files: ReadonlyArray<{ file: string; schema: TableSchema }>) => Array<{ data: Table; dropped: DroppedLines }>;

/** The tables `loader` loaded, by file index (none without a loader). */
function loadKnown(dir: string, files: ReadonlyArray<{ file: string; table: string }>, loader: KnownTablesLoader | undefined): Map<number, { data: Table; dropped: DroppedLines }> {
  const out = new Map<number, { data: Table; dropped: DroppedLines }>();
  if (!loader) return out;
  const known = files.flatMap(({ file, table }, index) => {
    const schema = knownSchema(table);
    return schema ? [{ index, file: join(dir, file), schema }] : [];
  });
  if (known.length === 0) return out;
  loader(known.map(({ file, schema }) => ({ file, schema }))).forEach((result, k) => out.set(known[k].index, result));
  return out;
}

/** Each file's table name; case-only variants of a Defender table name are mapped to it (see loadDataFolder). */
function tableFiles(names: readonly string[], notes: string[]): Array<{ file: string; table: string }> {
  const out: Array<{ file: string; table: string }> = [];
  const taken = new Map<string, string>();
  const base = (file: string) => file.slice(0, -'.jsonl'.length);
  // Exact names first, so they win over case variants of the same table.
  const ordered = [...names].sort((a, b) => Number(knownSchema(base(b)) !== undefined) - Number(knownSchema(base(a)) !== undefined));
  for (const file of ordered) {
    const known = knownSchema(base(file)) ?? knownSchemaIgnoringCase(base(file));
    const table = known?.name ?? base(file);
    const earlier = taken.get(table);
    if (earlier) {
      notes.push(`${file}: skipped, ${earlier} already holds table ${table}`);
      continue;
    }
    if (table !== base(file)) notes.push(`${file}: loaded as table ${table} (table names are case-sensitive in KQL; did you mean ${table}.jsonl?)`);
    taken.set(table, file);
    out.push({ file, table });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** "N lines of X.jsonl were dropped: <reason> at line L", or undefined when every line loaded. */
function malformedLines(file: string, dropped: DroppedLines): string | undefined {
  const count = dropped.lines.length;
  if (count === 0) return undefined;
  return `${count} line${count === 1 ? '' : 's'} of ${file} ${count === 1 ? 'was' : 'were'} dropped: ${dropped.firstReason ?? 'malformed'} at ${file}:${dropped.lines[0]}`;
}

/** "N of M rows … have no Timestamp that parses", with the first such line, or undefined when all do. */
function unusableTimestamps(file: string, table: Table, dropped: DroppedLines): string | undefined {
  const index = table.indexOf('Timestamp');
  const column = index >= 0 ? table.columns[index] : undefined;
  if (!(column instanceof DateTimeColumn)) return undefined;
  let count = 0;
  let first = -1;
  for (let row = 0; row < column.length; row++) {
    if (Number.isNaN(column.ms[row])) {
      count++;
      if (first < 0) first = row;
    }
  }
  if (count === 0) return undefined;
  return `${count} of ${table.length} rows of ${basename(file)} have no Timestamp that parses as an ISO 8601 date (first at line ${lineOfRow(file, first, dropped)}); no hunt window includes them`;
}

/** The file line holding row `row` (0-based): blank lines and dropped lines hold no row. */
function lineOfRow(file: string, row: number, dropped: DroppedLines): number {
  const skipped = new Set(dropped.lines);
  let seen = -1;
  let found = 0;
  forEachLine(file, (buf, start, end, lineNo) => {
    if (found > 0 || skipped.has(lineNo)) return;
    let s = start;
    while (s < end && (buf[s] === 32 || buf[s] === 9 || buf[s] === 13)) s++;
    if (s < end && ++seen === row) found = lineNo;
  });
  return found;
}
