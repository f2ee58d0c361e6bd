import type { TableSchema } from '../schema';
import { bytesEqual, viewsEqual } from './byte-hash';
import { FALSE, NESTED, NULL, NUMBER, type Sink, sinkFor, STRING, STRING_ESCAPED, TRUE } from './jsonl-sinks';
import { jsonStringEnd, scanJsonString, type StringScan } from './jsonl-string-scan';
import { Table } from './table';

/**
 * Loads JSON lines straight from bytes into columns, without building a row object per line: keys
 * are matched as bytes, strings are interned through a byte hash (a JavaScript string is made once
 * per distinct value), datetimes and numbers are parsed from their text. A line this scanner does
 * not handle (escaped keys, invalid JSON...) goes through JSON.parse, which also produces the
 * error message for a malformed line.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const TRUE_BYTES = Buffer.from('true');
const FALSE_BYTES = Buffer.from('false');
const NULL_BYTES = Buffer.from('null');

function isWhitespace(b: number): boolean {
  return b === 32 || b === 9 || b === 13 || b === 10;
}

/** End (exclusive) of the {...} or [...] starting at `pos`, or -1. Strings are skipped with their escapes. */
function nestedEnd(buf: Buffer, pos: number, end: number): number {
  let depth = 0;
  for (let i = pos; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      for (i++; i < end && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** True when [start, end) is a JSON number: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
function isJsonNumber(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  const digit = (k: number) => k < end && buf[k] >= 48 && buf[k] <= 57;
  if (buf[i] === 45) i++;
  if (!digit(i)) return false;
  if (buf[i] === 48) i++;
  else while (digit(i)) i++;
  if (buf[i] === 46 && i < end) {
    i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  if (i < end && (buf[i] === 101 || buf[i] === 69)) {
    i++;
    if (buf[i] === 43 || buf[i] === 45) i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  return i === end;
}

/** The closing quote of a key without escapes that starts at `pos`, or -1 (an escaped key goes to JSON.parse). */
function plainKeyEnd(buf: Buffer, pos: number, end: number): number {
  for (let i = pos; i < end; i++) {
    if (buf[i] === QUOTE) return i;
    if (buf[i] === BACKSLASH) return -1;
  }
  return -1;
}

/** The end of the {...} or [...] at `pos`, or -1 when it is not valid JSON (the line then goes to JSON.parse, which drops it). */
function nestedValueEnd(buf: Buffer, pos: number, end: number, parsed: { value: unknown }): number {
  const valueEnd = nestedEnd(buf, pos, end);
  if (valueEnd < 0) return -1;
  try {
    parsed.value = JSON.parse(buf.toString('utf8', pos, valueEnd));
    return valueEnd;
  } catch {
    return -1;
  }
}

/** TRUE, FALSE, NULL or NUMBER for the bare value [start, end), or -1 when it is none of them. */
function literalKind(buf: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length === 4 && bytesEqual(buf, start, TRUE_BYTES, 0, 4)) return TRUE;
  if (length === 5 && bytesEqual(buf, start, FALSE_BYTES, 0, 5)) return FALSE;
  if (length === 4 && bytesEqual(buf, start, NULL_BYTES, 0, 4)) return NULL;
  return isJsonNumber(buf, start, end) ? NUMBER : -1;
}

/** A line of a JSONL file that is not one JSON object. */
export class LineError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(message);
  }
}

/** JSON.parse of one line that must hold an object. @throws LineError */
export function parseObjectLine(text: string, lineNo: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new LineError(lineNo, `invalid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LineError(lineNo, 'expected one JSON object per line');
  }
  return value as Record<string, unknown>;
}

/** Builds one table of a known schema from JSON lines fed to it in byte chunks. */
export class JsonLinesColumnLoader {
  private readonly sinks: Sink[];
  private readonly names: string[];
  private readonly keys: Buffer[];
  /** Column found at each key position of the previous line: lines usually repeat their key order. */
  private readonly keyOrder: Int32Array;
  private readonly spanStart: Int32Array;
  private readonly spanEnd: Int32Array;
  private readonly spanKind: Int32Array;
  private readonly spanHash: Int32Array;
  private readonly spanLine: Int32Array;
  /** A NESTED span's value, parsed while scanning: a malformed one must reject the line before any column is appended. */
  private readonly spanValue: unknown[];
  private readonly nested: { value: unknown } = { value: undefined };
  /** 1 for the string columns (whose values are interned by hash). */
  private readonly interned: Uint8Array;
  /** The columns the current line holds, in the order found. */
  private readonly present: Int32Array;
  /** Rows each column's sink holds: a column missing from a line is filled in when it next appears (or at build). */
  private readonly filled: Int32Array;
  /** Each key's bytes and closing quote, for the key-order fast path (see expectedColumn). */
  private readonly quotedKeys: DataView[];
  private readonly scan: StringScan = { hash: 0, escaped: false };
  /** A DataView of the last line's buffer, for the string scanner's word reads. */
  private viewed: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private lineStamp = 0;
  private rows = 0;

  /**
   * `shared`: build the columns in shared memory, for worker threads to share (see columnBuilder);
   * `expectedRows`: an estimate that sizes the columns once instead of growing them by doubling.
   */
  constructor(
    private readonly schema: TableSchema,
    shared = false,
    expectedRows = 1024,
  ) {
    this.names = schema.columns.map((c) => c.name);
    this.keys = this.names.map((n) => Buffer.from(n, 'utf8'));
    this.quotedKeys = this.names.map((n) => {
      const bytes = Buffer.from(`${n}"`, 'utf8');
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    });
    this.sinks = schema.columns.map((c) => sinkFor(c.type, shared, expectedRows));
    this.keyOrder = new Int32Array(256).fill(-1);
    const n = this.names.length;
    this.spanStart = new Int32Array(n);
    this.spanEnd = new Int32Array(n);
    this.spanKind = new Int32Array(n);
    this.spanHash = new Int32Array(n);
    this.spanLine = new Int32Array(n).fill(-1);
    this.spanValue = new Array<unknown>(n).fill(undefined);
    this.present = new Int32Array(n);
    this.interned = Uint8Array.from(schema.columns, (c) => (c.type === 'string' ? 1 : 0));
    this.filled = new Int32Array(n);
  }

  /** Loads the line [start, end) (no newline); blank lines are skipped. @throws LineError */
  addLine(buf: Buffer, start: number, end: number, lineNo: number): void {
    let s = start;
    while (s < end && isWhitespace(buf[s])) s++;
    if (s === end) return;
    if (!this.scanLine(buf, s, end)) this.addParsedLine(buf.toString('utf8', start, end), lineNo);
    this.rows++;
  }

  private addParsedLine(text: string, lineNo: number): void {
    const row = parseObjectLine(text, lineNo);
    for (let c = 0; c < this.sinks.length; c++) {
      this.fillTo(c, this.rows);
      this.sinks[c].appendRaw(row[this.names[c]]);
      this.filled[c] = this.rows + 1;
    }
  }

  /** Missing values in column `c` up to row `row` (exclusive). */
  private fillTo(c: number, row: number): void {
    const missing = row - this.filled[c];
    if (missing > 0) this.sinks[c].appendMissing(missing);
    this.filled[c] = row;
  }

  /** The column named by the key [start, end), remembered as this position's (see expectedColumn); -1 for a key no column has. */
  private columnOf(buf: Buffer, start: number, end: number, position: number): number {
    const length = end - start;
    for (let c = 0; c < this.keys.length; c++) {
      if (this.keys[c].length === length && bytesEqual(this.keys[c], 0, buf, start, length)) {
        if (position < this.keyOrder.length) this.keyOrder[position] = c;
        return c;
      }
    }
    return -1;
  }

  /** The column whose key starts at `keyStart` if it is the one at this position on the previous line (with its closing quote), else -1. */
  private expectedColumn(view: DataView, keyStart: number, end: number, position: number): number {
    const expected = position < this.keyOrder.length ? this.keyOrder[position] : -1;
    if (expected < 0) return -1;
    const key = this.quotedKeys[expected];
    return keyStart + key.byteLength <= end && viewsEqual(key, 0, view, keyStart, key.byteLength) ? expected : -1;
  }

  /** Scans one object line into spans, then appends every column. False: let JSON.parse handle the line. */
  private scanLine(buf: Buffer, start: number, end: number): boolean {
    const line = ++this.lineStamp;
    if (this.viewed !== buf) {
      this.viewed = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.view;
    const scan = this.scan;
    let presentCount = 0;
    let pos = start;
    if (buf[pos++] !== OPEN_BRACE) return false;
    for (let position = 0; ; position++) {
      while (pos < end && isWhitespace(buf[pos])) pos++;
      if (position === 0 && buf[pos] === CLOSE_BRACE) {
        pos++;
        break;
      }
      if (buf[pos] !== QUOTE) return false;
      const keyStart = pos + 1;
      // Lines usually repeat the previous line's key order: then the key and its quote are one comparison.
      let column = this.expectedColumn(view, keyStart, end, position);
      if (column >= 0) pos = keyStart + this.quotedKeys[column].byteLength;
      else {
        const quote = plainKeyEnd(buf, keyStart, end);
        if (quote < 0) return false;
        column = this.columnOf(buf, keyStart, quote, position);
        pos = quote + 1;
      }
      if (buf[pos] !== COLON) {
        while (pos < end && isWhitespace(buf[pos])) pos++;
        if (buf[pos] !== COLON) return false;
      }
      pos++;
      while (pos < end && isWhitespace(buf[pos])) pos++;
      let valueStart = pos;
      let valueEnd: number;
      let kind: number;
      let hash = 0;
      const b = buf[pos];
      if (b === QUOTE) {
        // Only a string column's values are interned, so only they need the hash.
        const quote = column >= 0 && this.interned[column] === 1 ? scanJsonString(buf, view, pos + 1, end, scan) : jsonStringEnd(buf, view, pos + 1, end, scan);
        if (quote < 0) return false;
        pos = quote + 1;
        if (scan.escaped) {
          kind = STRING_ESCAPED;
          valueEnd = pos;
        } else {
          kind = STRING;
          hash = scan.hash;
          valueStart++;
          valueEnd = quote;
        }
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        pos = nestedValueEnd(buf, pos, end, this.nested);
        if (pos < 0) return false;
        valueEnd = pos;
        kind = NESTED;
      } else {
        while (pos < end && !isWhitespace(buf[pos]) && buf[pos] !== COMMA && buf[pos] !== CLOSE_BRACE) pos++;
        valueEnd = pos;
        kind = literalKind(buf, valueStart, valueEnd);
        if (kind < 0) return false;
      }
      if (column >= 0) {
        // A key given twice keeps its last value, as JSON.parse does.
        if (this.spanLine[column] !== line) this.present[presentCount++] = column;
        this.spanStart[column] = valueStart;
        this.spanEnd[column] = valueEnd;
        this.spanKind[column] = kind;
        this.spanHash[column] = hash;
        this.spanLine[column] = line;
        if (kind === NESTED) this.spanValue[column] = this.nested.value;
      }
      if (buf[pos] === COMMA) {
        pos++;
        continue;
      }
      while (pos < end && isWhitespace(buf[pos])) pos++;
      if (buf[pos] === COMMA) {
        pos++;
        continue;
      }
      if (buf[pos] === CLOSE_BRACE) {
        pos++;
        break;
      }
      return false;
    }
    while (pos < end && isWhitespace(buf[pos])) pos++;
    if (pos !== end) return false;
    const row = this.rows;
    for (let k = 0; k < presentCount; k++) {
      const c = this.present[k];
      if (this.filled[c] < row) this.fillTo(c, row);
      if (this.spanKind[c] === NESTED) this.sinks[c].appendRaw(this.spanValue[c]);
      else this.sinks[c].appendSpan(buf, this.spanStart[c], this.spanEnd[c], this.spanKind[c], this.spanHash[c]);
      this.filled[c] = row + 1;
    }
    return true;
  }

  build(): Table {
    for (let c = 0; c < this.sinks.length; c++) this.fillTo(c, this.rows);
    return new Table(
      this.schema.columns.map((c) => ({ name: c.name, type: c.type })),
      this.sinks.map((s) => s.build()),
      this.rows,
    );
  }
}

