import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { describeSchema, KqlDatabase, knownSchema } from '../kql/database';
import { DataFileError } from '../kql/errors';
import type { TableSchema } from '../kql/schema';
import type { Table } from '../kql/storage/table';
import { JsonLinesColumnLoader, LineError } from '../kql/storage/jsonl-columns';
import { inferSchema, tableFromRows } from '../kql/storage/table-builder';

const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Calls `onBatch` with the parsed objects of consecutive non-blank lines of a JSONL file, reading it
 * in chunks so files larger than a JavaScript string work. Each batch is parsed with one JSON.parse
 * call; if that fails, lines are parsed one by one to report the first bad one.
 */
export function readJsonLines(file: string, onBatch: (rows: Array<Record<string, unknown>>) => void): void {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      const text = carry + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
      const lastNewline = n > 0 ? text.lastIndexOf('\n') : text.length;
      if (lastNewline < 0) {
        carry = text;
        continue;
      }
      const complete = text.slice(0, lastNewline);
      carry = n > 0 ? text.slice(lastNewline + 1) : '';
      const lines = complete.split('\n');
      onBatch(parseLines(file, lines, lineNo));
      lineNo += lines.length;
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
}

function parseLines(file: string, lines: string[], firstLineNo: number): Array<Record<string, unknown>> {
  const body = lines.filter((l) => l.trim() !== '');
  if (body.length === 0) return [];
  try {
    const rows = JSON.parse(`[${body.join(',')}]`) as unknown[];
    // A line holding two values ("{...},{...}") would parse as two rows: count must match.
    if (rows.length === body.length && rows.every(isRow)) return rows as Array<Record<string, unknown>>;
  } catch {
    // fall through to find the offending line
  }
  const out: Array<Record<string, unknown>> = [];
  lines.forEach((line, k) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new DataFileError(file, firstLineNo + k + 1, `invalid JSON (${(e as Error).message})`);
    }
    if (!isRow(value)) throw new DataFileError(file, firstLineNo + k + 1, 'expected one JSON object per line');
    out.push(value);
  });
  return out;
}

function isRow(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `onLine(buffer, start, end, lineNo)` for each line of a file, reading it in chunks. */
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

/** Loads one table from a JSONL file: typed by schema.ts when known, otherwise by inference. */
export function loadTableFile(file: string, name: string, notes: string[]): { schema: TableSchema; data: Table } {
  const schema = knownSchema(name);
  if (schema) {
    const loader = new JsonLinesColumnLoader(schema);
    try {
      forEachLine(file, (buf, start, end, lineNo) => loader.addLine(buf, start, end, lineNo));
    } catch (e) {
      if (e instanceof LineError) throw new DataFileError(file, e.lineNo, e.message);
      throw e;
    }
    return { schema, data: loader.build() };
  }
  const rows: Array<Record<string, unknown>> = [];
  readJsonLines(file, (batch) => {
    for (const row of batch) rows.push(row);
  });
  const inferred = inferSchema(name, rows);
  notes.push(`${basename(file)}: ${name} is not a known Defender table; loaded with inferred schema ${describeSchema(inferred)}`);
  return { schema: inferred, data: tableFromRows(inferred, rows) };
}

/**
 * Loads every `<TableName>.jsonl` in `dir` (one JSON object per line, datetimes as ISO 8601 UTC
 * strings). Tables schema.ts describes are typed by it; others are loaded with inferred types and a
 * note in `db.notes`. Other files are ignored.
 * @throws DataFileError naming the file and line of the first problem.
 */
export function loadDataFolder(dir: string): KqlDatabase {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  } catch (e) {
    throw new DataFileError(dir, 0, `cannot read the data folder (${(e as Error).message})`);
  }
  const notes: string[] = [];
  const tables = names.map((f) => {
    const file = join(dir, f);
    try {
      return loadTableFile(file, f.slice(0, -'.jsonl'.length), notes);
    } catch (e) {
      if (e instanceof DataFileError) throw e;
      throw new DataFileError(file, 0, (e as Error).message);
    }
  });
  if (names.length === 0) notes.push(`${dir}: no .jsonl files found`);
  return KqlDatabase.fromTables(tables, notes);
}
