import type { TableSchema } from '../schema';
import { daysFromCivil, type MsAndTicks, parseIsoDateTime } from '../values/time';
import { type Column, StringColumn } from './column';
import { hashBytes } from './byte-hash';
import { ByteDictionary } from './byte-dictionary';
import { type ColumnBuilder, columnArray, columnBuilder, DateTimeBuilder, finish, grow, rawToString } from './column-builder';

/**
 * Column sinks for the JSONL loader: each receives a column's values as byte spans of a line
 * (kinds below) or as parsed JSON values, and converts them with the same rules as ColumnBuilder.
 */

/** What a value span holds. */
export const STRING = 0; // "text" without escapes: the span is the text between the quotes
export const STRING_ESCAPED = 1; // "te\"xt": the span includes the quotes
export const NUMBER = 2;
export const TRUE = 3;
export const FALSE = 4;
export const NULL = 5;
export const NESTED = 6; // {...} or [...]

const COLON = 58;
const EMPTY = Buffer.alloc(0);
/** With the u flag a surrogate pair is one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Receives one column's values, either as byte spans of a line or as parsed JSON values. */
export interface Sink {
  /** `hash`: the bytes' hashBytes when `kind` is STRING (the scanner computes it as it finds the string's end). */
  appendSpan(buf: Buffer, start: number, end: number, kind: number, hash: number): void;
  appendRaw(raw: unknown): void;
  /** `count` missing values (what appendRaw(undefined) appends). */
  appendMissing(count: number): void;
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

/** Dictionary-encoded strings, interned by their bytes (see ByteDictionary). */
class StringSink implements Sink {
  private readonly dictionary = new ByteDictionary();
  private codes: Uint32Array;
  private n = 0;
  private emptyCode = -1;

  constructor(
    private readonly shared: boolean,
    capacity: number,
  ) {
    this.codes = columnArray(Uint32Array, capacity, shared);
  }

  appendSpan(buf: Buffer, start: number, end: number, kind: number, hash: number): void {
    if (kind === STRING) this.push(this.dictionary.intern(buf, start, end, hash));
    else this.appendRaw(decodeSpan(buf, start, end, kind));
  }

  appendRaw(raw: unknown): void {
    if (raw === null || raw === undefined) return this.appendMissing(1);
    const text = rawToString(raw);
    if (LONE_SURROGATE.test(text)) return this.push(this.dictionary.internUnencodable(text));
    const bytes = Buffer.from(text, 'utf8');
    this.push(this.dictionary.intern(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length)));
  }

  appendMissing(count: number): void {
    if (this.emptyCode < 0) this.emptyCode = this.dictionary.intern(EMPTY, 0, 0, hashBytes(EMPTY, 0, 0));
    for (let k = 0; k < count; k++) this.push(this.emptyCode);
  }

  private push(code: number): void {
    if (this.n === this.codes.length) this.codes = grow(this.codes, this.n + 1);
    this.codes[this.n++] = code;
  }

  build(): StringColumn {
    return new StringColumn(this.dictionary.values, finish(this.codes, this.n, this.shared));
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

/** bool, dynamic, timespan, guid: decoded values through the general builder; the base of the typed sinks below. */
class GeneralSink<B extends ColumnBuilder = ColumnBuilder> implements Sink {
  constructor(protected readonly builder: B) {}

  appendSpan(buf: Buffer, start: number, end: number, kind: number, _hash: number): void {
    this.builder.appendRaw(decodeSpan(buf, start, end, kind));
  }

  appendRaw(raw: unknown): void {
    this.builder.appendRaw(raw);
  }

  appendMissing(count: number): void {
    for (let k = 0; k < count; k++) this.builder.appendRaw(undefined);
  }

  build(): Column {
    return this.builder.build();
  }
}

/** Datetimes parsed from ISO text into (ms, sub-ms ticks); other values by the general rules. */
class DateTimeSink extends GeneralSink<DateTimeBuilder> {
  private readonly parts: MsAndTicks = { ms: 0, sub: 0 };

  constructor(shared: boolean, capacity: number) {
    super(new DateTimeBuilder(capacity, shared));
  }

  override appendSpan(buf: Buffer, start: number, end: number, kind: number, hash: number): void {
    if (kind === STRING) {
      if (parseCanonicalIso(buf, start, end, this.parts)) return this.builder.appendMsAndTicks(this.parts.ms, this.parts.sub);
      const parsed = parseIsoDateTime(buf.toString('latin1', start, end));
      if (parsed) return this.builder.appendMsAndTicks(parsed.ms, parsed.sub);
    }
    super.appendSpan(buf, start, end, kind, hash);
  }
}

/** Whole numbers of up to 15 digits are read digit by digit; anything else through Number(). */
class NumberSink extends GeneralSink {
  override appendSpan(buf: Buffer, start: number, end: number, kind: number, hash: number): void {
    if (kind !== NUMBER) return super.appendSpan(buf, start, end, kind, hash);
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
}

/** `shared`: the built column's arrays go to shared memory (see columnBuilder); `capacity`: the rows expected. */
export function sinkFor(type: TableSchema['columns'][number]['type'], shared = false, capacity = 1024): Sink {
  switch (type) {
    case 'string':
      return new StringSink(shared, capacity);
    case 'datetime':
      return new DateTimeSink(shared, capacity);
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return new NumberSink(columnBuilder(type, capacity, shared));
    default:
      return new GeneralSink(columnBuilder(type, capacity, shared));
  }
}

