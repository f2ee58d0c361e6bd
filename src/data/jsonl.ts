import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeSchema, KqlDatabase, knownSchema, knownSchemaIgnoringCase } from '../kql/database';
import { DataFileError } from '../kql/errors';
import type { TableSchema } from '../kql/schema';
import { JsonLinesColumnLoader, LineError, parseObjectLine } from '../kql/storage/jsonl-columns';
import { DateTimeColumn } from '../kql/storage/column';
import type { Table } from '../kql/storage/table';
import { fillTimeAliases } from '../kql/storage/time-aliases';
import { inferSchema, tableFromRows } from '../kql/storage/table-builder';

const CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Calls `onLine(buffer, start, end, lineNo)` for each line of a file (without its newline), reading
 * the file in chunks so files far larger than a JavaScript string work.
 */
export function forEachLine(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number) => void): void {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let lineNo = 0;
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, null);
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

function loadKnownTable(file: string, schema: TableSchema): Table {
  const loader = new JsonLinesColumnLoader(schema);
  forEachLine(file, (buf, start, end, lineNo) => loader.addLine(buf, start, end, lineNo));
  return loader.build();
}

function readRows(file: string): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  forEachLine(file, (buf, start, end, lineNo) => {
    const text = buf.toString('utf8', start, end);
    if (text.trim() !== '') rows.push(parseObjectLine(text, lineNo));
  });
  return rows;
}

/**
 * Loads one table from a JSONL file: typed by schema.ts when known (streamed straight into
 * columns), otherwise read as objects and typed by inference (noted in `notes`).
 */
export function loadTableFile(file: string, name: string, notes: string[]): { schema: TableSchema; data: Table } {
  try {
    const schema = knownSchema(name);
    if (schema) return { schema, data: loadKnownTable(file, schema) };
    const rows = readRows(file);
    const inferred = inferSchema(name, rows);
    notes.push(`${basename(file)}: ${name} is not a known Defender table; loaded with inferred schema ${describeSchema(inferred)}`);
    return { schema: inferred, data: tableFromRows(inferred, rows) };
  } catch (e) {
    if (e instanceof LineError) throw new DataFileError(file, e.lineNo, e.message);
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(file, 0, (e as Error).message);
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
 * Rows no hunt window can include (no Timestamp that parses) are counted per table in
 * `db.provenance.tableIssues`, so results that read the table can say so.
 * @throws DataFileError naming the file and line of the first problem.
 */
export function loadDataFolder(dir: string): KqlDatabase {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir)
      .filter((f) => /\.jsonl$/i.test(f))
      .sort();
  } catch (e) {
    throw new DataFileError(dir, 0, `cannot read the data folder (${(e as Error).message})`);
  }
  const notes: string[] = [];
  const files = tableFiles(names, notes);
  const tables = files.map(({ file, table }) => loadTableFile(join(dir, file), table, notes));
  const tableIssues = new Map<string, string[]>();
  files.forEach(({ file }, index) => {
    const issue = unusableTimestamps(join(dir, file), fillTimeAliases(tables[index].data));
    if (issue) tableIssues.set(tables[index].schema.name, [issue]);
  });
  if (names.length === 0) notes.push(`${dir}: no .jsonl files found`);
  for (const issues of tableIssues.values()) notes.push(...issues);
  return KqlDatabase.fromTables(tables, notes, { source: dir, tableIssues });
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

/** "N of M rows … have no Timestamp that parses", with the first such line, or undefined when all do. */
function unusableTimestamps(file: string, table: Table): string | undefined {
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
  return `${count} of ${table.length} rows of ${basename(file)} have no Timestamp that parses as an ISO 8601 date (first at line ${lineOfRow(file, first)}); no hunt window includes them`;
}

/** The file line of the n-th (0-based) non-blank line: blank lines hold no row. */
function lineOfRow(file: string, row: number): number {
  let seen = -1;
  let found = 0;
  forEachLine(file, (buf, start, end, lineNo) => {
    if (found > 0) return;
    let s = start;
    while (s < end && (buf[s] === 32 || buf[s] === 9 || buf[s] === 13)) s++;
    if (s < end && ++seen === row) found = lineNo;
  });
  return found;
}
