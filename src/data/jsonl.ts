import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describeSchema, KqlDatabase, knownSchema } from '../kql/database';
import { DataFileError } from '../kql/errors';
import type { TableSchema } from '../kql/schema';
import { JsonLinesColumnLoader, LineError, parseObjectLine } from '../kql/storage/jsonl-columns';
import type { Table } from '../kql/storage/table';
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
 * @throws DataFileError naming the file and line of the first problem.
 */
export function loadDataFolder(dir: string): KqlDatabase {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
  } catch (e) {
    throw new DataFileError(dir, 0, `cannot read the data folder (${(e as Error).message})`);
  }
  const notes: string[] = [];
  const tables = names.map((f) => loadTableFile(join(dir, f), f.slice(0, -'.jsonl'.length), notes));
  if (names.length === 0) notes.push(`${dir}: no .jsonl files found`);
  return KqlDatabase.fromTables(tables, notes);
}
