import type { TableSchema } from '../schema';
import { type Column, NumberColumn, StringColumn } from './column';
import { type ColumnBuilder, columnBuilder, DateTimeBuilder, rawToString } from './column-builder';
import { daysFromCivil, type MsAndTicks, parseIsoDateTime } from '../values/time';
import { Table } from './table';

/**
 * Loads JSON lines straight from bytes into columns, without building a row object per line: keys
 * are matched as bytes, strings are interned through a byte hash (a JavaScript string is made once
 * per distinct value), datetimes and numbers are parsed from their text. A line this scanner does
 * not handle (escaped keys, invalid JSON...) goes through JSON.parse, which also produces the
 * error message for a malformed line.
 */

const STRING = 0; // "text" without escapes: the span is the text between the quotes
const STRING_ESCAPED = 1; // "te\"xt": the span includes the quotes
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;
const NESTED = 6; // {...} or [...]

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const EMPTY = Buffer.alloc(0);
const TRUE_BYTES = Buffer.from('true');
const FALSE_BYTES = Buffer.from('false');
const NULL_BYTES = Buffer.from('null');

/** Receives one column's values, either as byte spans of a line or as parsed JSON values. */
interface Sink {
  appendSpan(buf: Buffer, start: number, end: number, kind: number): void;
  appendRaw(raw: unknown): void;
  build(): Column;
}

/** The JSON value a span holds (only for rarely used kinds; strings without escapes never come here). */
function decodeSpan(buf: Buffer, start: number, end: number, kind: number): unknown {
  switch (kind) {
    case STRING:
      return buf.toString('utf8', start, end);
    case TRUE:
      return true;
    case FALSE:
      return false;
    case NULL:
      return null;
    default:
      return JSON.parse(buf.toString('utf8', start, end));
  }
}

/** Compares from the end: identifiers that share a prefix (device ids, paths) differ at their tails. */
function bytesEqual(a: Buffer, aStart: number, b: Buffer, bStart: number, length: number): boolean {
  for (let i = length - 1; i >= 0; i--) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * FNV-1a over the bytes; long values hash only their first 8 and last 16 bytes plus their length
 * (identifiers and hashes differ there), equality is always checked on all bytes.
 */
function hashBytes(buf: Buffer, start: number, end: number): number {
  let h = Math.imul(0x811c9dc5 ^ (end - start), 16777619);
  if (end - start <= 24) {
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 16777619);
    return h;
  }
  for (let i = start; i < start + 8; i++) h = Math.imul(h ^ buf[i], 16777619);
  for (let i = end - 16; i < end; i++) h = Math.imul(h ^ buf[i], 16777619);
  return h;
}

/** Dictionary-encoded strings interned by their UTF-8 bytes (FNV-1a, open addressing). */
class StringSink implements Sink {
  private readonly dict: string[] = [];
  private codes = new Uint32Array(1024);
  private n = 0;
  private slots = new Int32Array(1024).fill(-1);
  private starts = new Int32Array(512);
  private lengths = new Int32Array(512);
  private arena = Buffer.allocUnsafe(64 * 1024);
  private arenaUsed = 0;
  private emptyCode = -1;
  private lastCode = -1;

  appendSpan(buf: Buffer, start: number, end: number, kind: number): void {
    if (kind === STRING) this.push(this.intern(buf, start, end));
    else this.appendRaw(decodeSpan(buf, start, end, kind));
  }

  appendRaw(raw: unknown): void {
    if (raw === null || raw === undefined) {
      if (this.emptyCode < 0) this.emptyCode = this.intern(EMPTY, 0, 0);
      return this.push(this.emptyCode);
    }
    const bytes = Buffer.from(rawToString(raw), 'utf8');
    this.push(this.intern(bytes, 0, bytes.length));
  }

  private push(code: number): void {
    if (this.n === this.codes.length) {
      const next = new Uint32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.n++] = code;
  }

  private intern(buf: Buffer, start: number, end: number): number {
    const length = end - start;
    // Consecutive rows often repeat a value (same device, same issuer): check the last one first.
    const last = this.lastCode;
    if (last >= 0 && this.lengths[last] === length && bytesEqual(this.arena, this.starts[last], buf, start, length)) return last;
    const code = this.lookup(buf, start, end);
    this.lastCode = code;
    return code;
  }

  private lookup(buf: Buffer, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const length = end - start;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const code = this.slots[slot];
      if (code < 0) break;
      if (this.lengths[code] === length && bytesEqual(this.arena, this.starts[code], buf, start, length)) return code;
      slot = (slot + 1) & mask;
    }
    const code = this.dict.length;
    this.dict.push(buf.toString('utf8', start, end));
    this.store(code, buf, start, length);
    this.slots[slot] = code;
    if (this.dict.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  private store(code: number, buf: Buffer, start: number, length: number): void {
    if (code === this.starts.length) {
      const starts = new Int32Array(code * 2);
      starts.set(this.starts);
      this.starts = starts;
      const lengths = new Int32Array(code * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    if (this.arenaUsed + length > this.arena.length) {
      const arena = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + length));
      this.arena.copy(arena, 0, 0, this.arenaUsed);
      this.arena = arena;
    }
    buf.copy(this.arena, this.arenaUsed, start, start + length);
    this.starts[code] = this.arenaUsed;
    this.lengths[code] = length;
    this.arenaUsed += length;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let code = 0; code < this.dict.length; code++) {
      const start = this.starts[code];
      let slot = hashBytes(this.arena, start, start + this.lengths[code]) & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
  }

  build(): StringColumn {
    return new StringColumn(this.dict, this.codes.slice(0, this.n));
  }
}

function digitsAt(buf: Buffer, pos: number, count: number): number {
  let v = 0;
  for (let i = pos; i < pos + count; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The canonical export form `yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z` read straight from bytes into `out`.
 * False for anything else (the caller then uses the general parser).
 */
function parseCanonicalIso(buf: Buffer, start: number, end: number, out: MsAndTicks): boolean {
  if (end - start < 20 || buf[start + 4] !== 45 || buf[start + 7] !== 45 || buf[start + 10] !== 84) return false;
  if (buf[start + 13] !== COLON || buf[start + 16] !== COLON || buf[end - 1] !== 90) return false;
  const year = digitsAt(buf, start, 4);
  const month = digitsAt(buf, start + 5, 2);
  const day = digitsAt(buf, start + 8, 2);
  const hour = digitsAt(buf, start + 11, 2);
  const minute = digitsAt(buf, start + 14, 2);
  const second = digitsAt(buf, start + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return false;
  }
  let ticks = 0;
  const fractionDigits = end - 1 - (start + 20);
  if (fractionDigits >= 0) {
    if (buf[start + 19] !== 46 || fractionDigits < 1 || fractionDigits > 7) return false;
    ticks = digitsAt(buf, start + 20, fractionDigits);
    if (ticks < 0) return false;
    for (let k = fractionDigits; k < 7; k++) ticks *= 10;
  } else if (end - start !== 20) return false;
  out.ms = daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + Math.floor(ticks / 10000);
  out.sub = ticks % 10000;
  return true;
}

/** Datetimes parsed from ISO text into (ms, sub-ms ticks); other values by the general rules. */
class DateTimeSink implements Sink {
  private readonly builder = new DateTimeBuilder(1024);
  private readonly parts: MsAndTicks = { ms: 0, sub: 0 };

  appendSpan(buf: Buffer, start: number, end: number, kind: number): void {
    if (kind === STRING) {
      if (parseCanonicalIso(buf, start, end, this.parts)) return this.builder.appendMsAndTicks(this.parts.ms, this.parts.sub);
      const parsed = parseIsoDateTime(buf.toString('latin1', start, end));
      if (parsed) return this.builder.appendMsAndTicks(parsed.ms, parsed.sub);
    }
    this.builder.appendRaw(decodeSpan(buf, start, end, kind));
  }

  appendRaw(raw: unknown): void {
    this.builder.appendRaw(raw);
  }

  build(): Column {
    return this.builder.build();
  }
}

/** Whole numbers of up to 15 digits are read digit by digit; anything else through Number(). */
class NumberSink implements Sink {
  private readonly builder: ColumnBuilder;

  constructor(private readonly type: TableSchema['columns'][number]['type']) {
    this.builder = columnBuilder(type, 1024);
  }

  appendSpan(buf: Buffer, start: number, end: number, kind: number): void {
    if (kind !== NUMBER) return this.appendRaw(decodeSpan(buf, start, end, kind));
    let i = start;
    const negative = buf[i] === 45;
    if (negative) i++;
    if (end - i <= 15) {
      let v = 0;
      for (; i < end; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === end) return this.builder.append(negative ? -v : v);
    }
    this.builder.appendRaw(Number(buf.toString('latin1', start, end)));
  }

  appendRaw(raw: unknown): void {
    this.builder.appendRaw(raw);
  }

  build(): Column {
    return this.builder.build() as NumberColumn;
  }
}

/** bool, dynamic, timespan, guid: decoded values through the general builder. */
class GeneralSink implements Sink {
  constructor(private readonly builder: ColumnBuilder) {}

  appendSpan(buf: Buffer, start: number, end: number, kind: number): void {
    this.builder.appendRaw(decodeSpan(buf, start, end, kind));
  }

  appendRaw(raw: unknown): void {
    this.builder.appendRaw(raw);
  }

  build(): Column {
    return this.builder.build();
  }
}

function sinkFor(type: TableSchema['columns'][number]['type']): Sink {
  switch (type) {
    case 'string':
      return new StringSink();
    case 'datetime':
      return new DateTimeSink();
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return new NumberSink(type);
    default:
      return new GeneralSink(columnBuilder(type, 1024));
  }
}

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

export class LineError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(message);
  }
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
  private readonly spanLine: Int32Array;
  private lineStamp = 0;
  private rows = 0;

  constructor(private readonly schema: TableSchema) {
    this.names = schema.columns.map((c) => c.name);
    this.keys = this.names.map((n) => Buffer.from(n, 'utf8'));
    this.sinks = schema.columns.map((c) => sinkFor(c.type));
    this.keyOrder = new Int32Array(256).fill(-1);
    const n = this.names.length;
    this.spanStart = new Int32Array(n);
    this.spanEnd = new Int32Array(n);
    this.spanKind = new Int32Array(n);
    this.spanLine = new Int32Array(n).fill(-1);
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
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new LineError(lineNo, `invalid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new LineError(lineNo, 'expected one JSON object per line');
    }
    const row = value as Record<string, unknown>;
    for (let c = 0; c < this.sinks.length; c++) this.sinks[c].appendRaw(row[this.names[c]]);
  }

  private columnOf(buf: Buffer, start: number, end: number, position: number): number {
    const length = end - start;
    const expected = position < this.keyOrder.length ? this.keyOrder[position] : -1;
    if (expected >= 0 && this.keys[expected].length === length && bytesEqual(this.keys[expected], 0, buf, start, length)) {
      return expected;
    }
    for (let c = 0; c < this.keys.length; c++) {
      if (this.keys[c].length === length && bytesEqual(this.keys[c], 0, buf, start, length)) {
        if (position < this.keyOrder.length) this.keyOrder[position] = c;
        return c;
      }
    }
    return -1;
  }

  /** Scans one object line into spans, then appends every column. False: let JSON.parse handle the line. */
  private scanLine(buf: Buffer, start: number, end: number): boolean {
    const line = ++this.lineStamp;
    let pos = start;
    if (buf[pos++] !== OPEN_BRACE) return false;
    for (let position = 0; ; position++) {
      while (pos < end && isWhitespace(buf[pos])) pos++;
      if (position === 0 && buf[pos] === CLOSE_BRACE) {
        pos++;
        break;
      }
      if (buf[pos] !== QUOTE) return false;
      const keyStart = ++pos;
      while (pos < end && buf[pos] !== QUOTE) {
        if (buf[pos] === BACKSLASH) return false;
        pos++;
      }
      if (pos >= end) return false;
      const column = this.columnOf(buf, keyStart, pos, position);
      pos++;
      while (pos < end && isWhitespace(buf[pos])) pos++;
      if (buf[pos++] !== COLON) return false;
      while (pos < end && isWhitespace(buf[pos])) pos++;
      let valueStart = pos;
      let valueEnd: number;
      let kind: number;
      const b = buf[pos];
      if (b === QUOTE) {
        kind = STRING;
        for (pos++; pos < end && buf[pos] !== QUOTE; pos++) {
          if (buf[pos] === BACKSLASH) {
            kind = STRING_ESCAPED;
            pos++;
          } else if (buf[pos] < 32) return false;
        }
        if (pos >= end) return false;
        pos++;
        if (kind === STRING) {
          valueStart++;
          valueEnd = pos - 1;
        } else valueEnd = pos;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        pos = nestedEnd(buf, pos, end);
        if (pos < 0) return false;
        valueEnd = pos;
        kind = NESTED;
        if (column < 0) {
          try {
            JSON.parse(buf.toString('utf8', valueStart, valueEnd)); // validate what we skip
          } catch {
            return false;
          }
        }
      } else {
        while (pos < end && !isWhitespace(buf[pos]) && buf[pos] !== COMMA && buf[pos] !== CLOSE_BRACE) pos++;
        valueEnd = pos;
        const length = valueEnd - valueStart;
        if (length === 4 && bytesEqual(buf, valueStart, TRUE_BYTES, 0, 4)) kind = TRUE;
        else if (length === 5 && bytesEqual(buf, valueStart, FALSE_BYTES, 0, 5)) kind = FALSE;
        else if (length === 4 && bytesEqual(buf, valueStart, NULL_BYTES, 0, 4)) kind = NULL;
        else if (isJsonNumber(buf, valueStart, valueEnd)) kind = NUMBER;
        else return false;
      }
      if (column >= 0) {
        this.spanStart[column] = valueStart;
        this.spanEnd[column] = valueEnd;
        this.spanKind[column] = kind;
        this.spanLine[column] = line;
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
    for (let c = 0; c < this.sinks.length; c++) {
      if (this.spanLine[c] === line) this.sinks[c].appendSpan(buf, this.spanStart[c], this.spanEnd[c], this.spanKind[c]);
      else this.sinks[c].appendRaw(undefined);
    }
    return true;
  }

  build(): Table {
    return new Table(
      this.schema.columns.map((c) => ({ name: c.name, type: c.type })),
      this.sinks.map((s) => s.build()),
      this.rows,
    );
  }
}

