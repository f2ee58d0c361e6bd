import type { TableSchema } from '../schema';
import { daysFromCivil, type MsAndTicks, parseIsoDateTime } from '../values/time';
import { type Column, NumberColumn, StringColumn } from './column';
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

/** Receives one column's values, either as byte spans of a line or as parsed JSON values. */
export interface Sink {
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
export function bytesEqual(a: Buffer, aStart: number, b: Buffer, bStart: number, length: number): boolean {
  for (let i = length - 1; i >= 0; i--) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/**
 * A 32-bit hash of all the bytes, four at a time, with a final avalanche so the low bits (used for
 * the slot) depend on every byte: values that share long prefixes and suffixes (host names under one
 * domain) must not collide.
 */
function hashBytes(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)), 0x01000193);
    h ^= h >>> 15;
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  return h ^ (h >>> 15);
}

/** Dictionary-encoded strings interned by their UTF-8 bytes (FNV-1a, open addressing). */
class StringSink implements Sink {
  private readonly dict: string[] = [];
  private codes: Uint32Array;
  private n = 0;
  private slots = new Int32Array(1024).fill(-1);
  private starts = new Int32Array(512);
  private lengths = new Int32Array(512);
  private arena = Buffer.allocUnsafe(64 * 1024);
  private arenaUsed = 0;
  private emptyCode = -1;
  private lastCode = -1;

  constructor(
    private readonly shared: boolean,
    capacity: number,
  ) {
    this.codes = columnArray(Uint32Array, capacity, shared);
  }

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
    if (this.n === this.codes.length) this.codes = grow(this.codes, this.n + 1);
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
    return new StringColumn(this.dict, finish(this.codes, this.n, this.shared));
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
  private readonly builder: DateTimeBuilder;
  private readonly parts: MsAndTicks = { ms: 0, sub: 0 };

  constructor(shared: boolean, capacity: number) {
    this.builder = new DateTimeBuilder(capacity, shared);
  }

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

  constructor(type: TableSchema['columns'][number]['type'], shared: boolean, capacity: number) {
    this.builder = columnBuilder(type, capacity, shared);
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
      return new NumberSink(type, shared, capacity);
    default:
      return new GeneralSink(columnBuilder(type, capacity, shared));
  }
}

