import type { KustoType } from '../types';
import { parseDateTimeTicks, parseIsoDateTime, parseTimespanTicks, ticksToMsAndTicks } from '../values/time';
import type { Value } from '../values/value';
import { BOOL_NULL, BoolColumn, type Column, DateTimeColumn, NumberColumn, StringColumn, ValueColumn } from './column';
import { isShared, sharedArray, sharedCopy } from './shared-memory';

/**
 * Appends values one by one and produces a column. `append` takes a run-time Value of the column's
 * type; `appendRaw` takes what a JSON file or a caller's row object holds (ISO strings for
 * datetimes, JSON text or objects for dynamic, ...) and converts it, missing values becoming null ("" for strings).
 */
export interface ColumnBuilder {
  append(value: Value): void;
  appendRaw(raw: unknown): void;
  build(): Column;
}

/**
 * The first n elements as the built column's array: in shared memory for a loaded table that worker
 * threads will share (built there directly, so the table never exists twice), else a plain copy.
 */
export function finish<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(arr: T, n: number, shared: boolean): T {
  // A shared array sized from an estimate is used in place when the estimate was close.
  if (shared && isShared(arr) && arr.length <= n * SPARE + 64) return arr.length === n ? arr : (arr.subarray(0, n) as T);
  if (shared) return sharedCopy(arr, n);
  return arr.length === n ? arr : (arr.slice(0, n) as T);
}

/** How much room beyond the rows a shared column may keep rather than be copied (see finish). */
const SPARE = 1.15;

type ArrayClass<T> = { new (n: number): T; BYTES_PER_ELEMENT: number };

/** A new array for a column, in shared memory when the column will be shared. */
export function columnArray<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(Kind: ArrayClass<T>, length: number, shared: boolean): T {
  return shared ? sharedArray(Kind as never, length) : new Kind(length);
}

export function grow<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(arr: T, needed: number): T {
  if (needed <= arr.length) return arr;
  const next = columnArray(arr.constructor as ArrayClass<T>, Math.max(needed, arr.length * 2, 16), isShared(arr));
  next.set(arr);
  return next;
}

class StringBuilder implements ColumnBuilder {
  private readonly index = new Map<string, number>();
  private readonly dict: string[] = [];
  private codes: Uint32Array;
  private n = 0;

  constructor(
    capacity: number,
    private readonly shared: boolean,
  ) {
    this.codes = columnArray(Uint32Array, capacity, shared);
  }

  append(value: Value): void {
    const s = value === null ? '' : (value as string);
    let code = this.index.get(s);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(s);
      this.index.set(s, code);
    }
    if (this.n === this.codes.length) this.codes = grow(this.codes, this.n + 1);
    this.codes[this.n++] = code;
  }

  appendRaw(raw: unknown): void {
    this.append(rawToString(raw));
  }

  build(): StringColumn {
    return new StringColumn(this.dict, finish(this.codes, this.n, this.shared));
  }
}

export function rawToString(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'string') return raw;
  if (raw instanceof Date) return raw.toISOString();
  if (typeof raw === 'object') return JSON.stringify(raw);
  return String(raw);
}

/** Datetime columns; `appendMsAndTicks` lets fast loaders skip BigInt. */
export class DateTimeBuilder implements ColumnBuilder {
  private ms: Float64Array;
  private sub: Uint16Array;
  private n = 0;

  constructor(
    capacity: number,
    private readonly shared = false,
  ) {
    this.ms = columnArray(Float64Array, capacity, shared);
    this.sub = columnArray(Uint16Array, capacity, shared);
  }

  appendMsAndTicks(ms: number, sub: number): void {
    if (this.n === this.ms.length) {
      this.ms = grow(this.ms, this.n + 1);
      this.sub = grow(this.sub, this.n + 1);
    }
    this.ms[this.n] = ms;
    this.sub[this.n++] = sub;
  }

  append(value: Value): void {
    if (value === null) return this.appendMsAndTicks(NaN, 0);
    const { ms, sub } = ticksToMsAndTicks(value as bigint);
    this.appendMsAndTicks(ms, sub);
  }

  appendRaw(raw: unknown): void {
    if (typeof raw === 'string') {
      const iso = parseIsoDateTime(raw); // the fast path: no BigInt per value
      if (iso) return this.appendMsAndTicks(iso.ms, iso.sub);
      return this.append(parseDateTimeTicks(raw));
    }
    if (raw instanceof Date) return this.appendMsAndTicks(raw.getTime(), 0);
    this.appendMsAndTicks(NaN, 0);
  }

  build(): DateTimeColumn {
    return new DateTimeColumn(finish(this.ms, this.n, this.shared), finish(this.sub, this.n, this.shared));
  }
}

class NumberBuilder implements ColumnBuilder {
  private values: Float64Array;
  private nulls: Uint8Array | null = null;
  private n = 0;

  constructor(
    private readonly type: KustoType,
    capacity: number,
    private readonly shared: boolean,
  ) {
    this.values = columnArray(Float64Array, capacity, shared);
  }

  append(value: Value): void {
    if (this.n === this.values.length) {
      this.values = grow(this.values, this.n + 1);
      if (this.nulls) this.nulls = grow(this.nulls, this.values.length);
    }
    if (value === null) {
      if (!this.nulls) this.nulls = new Uint8Array(this.values.length);
      this.nulls[this.n++] = 1;
      return;
    }
    this.values[this.n++] = value as number;
  }

  appendRaw(raw: unknown): void {
    let v: number | null = null;
    if (typeof raw === 'number') v = raw;
    else if (typeof raw === 'string' && raw.trim() !== '') v = Number(raw);
    else if (typeof raw === 'boolean') v = raw ? 1 : 0;
    else if (typeof raw === 'bigint') v = Number(raw);
    if (v !== null && Number.isNaN(v) && this.type !== 'real') v = null;
    if (v !== null && (this.type === 'int' || this.type === 'long')) v = Math.trunc(v);
    this.append(v);
  }

  build(): NumberColumn {
    const values = finish(this.values, this.n, this.shared);
    return new NumberColumn(this.type, values, this.nulls ? finish(this.nulls, this.n, this.shared) : null);
  }
}

class BoolBuilder implements ColumnBuilder {
  private values: Uint8Array;
  private n = 0;

  constructor(
    capacity: number,
    private readonly shared: boolean,
  ) {
    this.values = columnArray(Uint8Array, capacity, shared);
  }

  append(value: Value): void {
    if (this.n === this.values.length) this.values = grow(this.values, this.n + 1);
    this.values[this.n++] = value === null ? BOOL_NULL : value ? 1 : 0;
  }

  appendRaw(raw: unknown): void {
    if (typeof raw === 'boolean') return this.append(raw);
    if (typeof raw === 'number') return this.append(raw !== 0);
    if (typeof raw === 'string') {
      const s = raw.trim().toLowerCase();
      if (s === 'true' || s === '1') return this.append(true);
      if (s === 'false' || s === '0') return this.append(false);
    }
    this.append(null);
  }

  build(): BoolColumn {
    return new BoolColumn(finish(this.values, this.n, this.shared));
  }
}

class ValueBuilder implements ColumnBuilder {
  private readonly values: Value[] = [];

  constructor(private readonly type: KustoType) {}

  append(value: Value): void {
    this.values.push(value);
  }

  appendRaw(raw: unknown): void {
    this.values.push(rawToValue(raw, this.type));
  }

  build(): ValueColumn {
    return new ValueColumn(this.type, this.values);
  }
}

/** Converts a caller's or file's raw value for the value-array types (dynamic, timespan, guid). */
function rawToValue(raw: unknown, type: KustoType): Value {
  if (raw === undefined || raw === null) return null;
  if (type === 'timespan') {
    if (typeof raw === 'string') return parseTimespanTicks(raw);
    if (typeof raw === 'bigint') return raw;
    return null;
  }
  if (type === 'dynamic') {
    // Defender exports carry dynamic columns (AdditionalFields) as JSON text: store the parsed value.
    if (typeof raw === 'string' && /^\s*[[{]/.test(raw)) {
      try {
        return JSON.parse(raw) as Value;
      } catch {
        return raw;
      }
    }
    if (raw instanceof Date) return raw.toISOString();
    return raw as Value;
  }
  return typeof raw === 'string' ? raw : String(raw);
}

/** `shared`: build the column's arrays in shared memory (for a loaded table, see finish). */
export function columnBuilder(type: KustoType, capacity = 16, shared = false): ColumnBuilder {
  switch (type) {
    case 'string':
      return new StringBuilder(capacity, shared);
    case 'datetime':
      return new DateTimeBuilder(capacity, shared);
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return new NumberBuilder(type, capacity, shared);
    case 'bool':
      return new BoolBuilder(capacity, shared);
    default:
      return new ValueBuilder(type);
  }
}

/** A column of `type` from run-time values. */
export function columnFromValues(type: KustoType, values: ArrayLike<Value>): Column {
  const b = columnBuilder(type, values.length);
  for (let i = 0; i < values.length; i++) b.append(values[i]);
  return b.build();
}
