import type { KustoType } from '../types';
import { msAndTicksToTicks } from '../values/time';
import type { Value } from '../values/value';
import { decodeStrings, type SharedStrings } from './shared-memory';

/** One column of values, addressed by physical row index. */
export interface Column {
  readonly type: KustoType;
  readonly length: number;
  get(i: number): Value;
  /** A new column holding the values at `rows`, in that order. */
  gather(rows: ArrayLike<number>): Column;
}

/**
 * Dictionary-encoded strings: each distinct value is stored once and rows hold its code, so
 * string predicates run once per distinct value and then as an integer scan.
 */
export class StringColumn implements Column {
  readonly type = 'string' as const;
  private strings: readonly string[] | null;
  /** The dictionary as UTF-8 in shared memory, when the column came from there (decoded on first use). */
  readonly sharedDict: SharedStrings | null;

  constructor(
    dict: readonly string[] | SharedStrings,
    readonly codes: Uint32Array,
  ) {
    const shared = !Array.isArray(dict);
    this.strings = shared ? null : (dict as readonly string[]);
    this.sharedDict = shared ? (dict as SharedStrings) : null;
  }

  /** Each distinct value once; codes index it. */
  get dict(): readonly string[] {
    return (this.strings ??= decodeStrings(this.sharedDict!));
  }

  get length(): number {
    return this.codes.length;
  }

  get(i: number): string {
    return this.dict[this.codes[i]];
  }

  gather(rows: ArrayLike<number>): StringColumn {
    const codes = new Uint32Array(rows.length);
    for (let k = 0; k < rows.length; k++) codes[k] = this.codes[rows[k]];
    return new StringColumn(this.dict, codes);
  }
}

/** Datetimes as whole ms since the epoch (NaN = null) plus 0..9999 extra 100 ns ticks: exact, BigInt-free. */
export class DateTimeColumn implements Column {
  readonly type = 'datetime' as const;
  constructor(
    readonly ms: Float64Array,
    readonly sub: Uint16Array,
  ) {}

  get length(): number {
    return this.ms.length;
  }

  get(i: number): bigint | null {
    const ms = this.ms[i];
    return Number.isNaN(ms) ? null : msAndTicksToTicks(ms, this.sub[i]);
  }

  gather(rows: ArrayLike<number>): DateTimeColumn {
    const ms = new Float64Array(rows.length);
    const sub = new Uint16Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      ms[k] = this.ms[rows[k]];
      sub[k] = this.sub[rows[k]];
    }
    return new DateTimeColumn(ms, sub);
  }
}

/** long, int, real and decimal as doubles, with a null mask when any value is null. */
export class NumberColumn implements Column {
  constructor(
    readonly type: KustoType,
    readonly values: Float64Array,
    readonly nulls: Uint8Array | null,
  ) {}

  get length(): number {
    return this.values.length;
  }

  get(i: number): number | null {
    return this.nulls !== null && this.nulls[i] === 1 ? null : this.values[i];
  }

  gather(rows: ArrayLike<number>): NumberColumn {
    const values = new Float64Array(rows.length);
    const nulls = this.nulls ? new Uint8Array(rows.length) : null;
    for (let k = 0; k < rows.length; k++) {
      values[k] = this.values[rows[k]];
      if (nulls) nulls[k] = this.nulls![rows[k]];
    }
    return new NumberColumn(this.type, values, nulls);
  }
}

export const BOOL_NULL = 2;

/** bool as bytes: 0 false, 1 true, 2 null. */
export class BoolColumn implements Column {
  readonly type = 'bool' as const;
  constructor(readonly values: Uint8Array) {}

  get length(): number {
    return this.values.length;
  }

  get(i: number): boolean | null {
    const v = this.values[i];
    return v === BOOL_NULL ? null : v === 1;
  }

  gather(rows: ArrayLike<number>): BoolColumn {
    const values = new Uint8Array(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = this.values[rows[k]];
    return new BoolColumn(values);
  }
}

/** A value column in shared memory: each row's code into distinct encoded values (see shared-table.ts). */
export interface SharedValues {
  readonly codes: Uint32Array;
  decode(): Value[];
}

/** Any other type (dynamic, timespan, guid) as an array of values. */
export class ValueColumn implements Column {
  private decoded: Value[] | null;
  /** The values as codes into shared memory, when the column came from there (decoded on first use). */
  readonly sharedValues: SharedValues | null;

  constructor(
    readonly type: KustoType,
    values: Value[] | SharedValues,
  ) {
    const shared = !Array.isArray(values);
    this.decoded = shared ? null : (values as Value[]);
    this.sharedValues = shared ? (values as SharedValues) : null;
  }

  get values(): Value[] {
    return (this.decoded ??= this.sharedValues!.decode());
  }

  get length(): number {
    return this.decoded ? this.decoded.length : this.sharedValues!.codes.length;
  }

  get(i: number): Value {
    return this.values[i];
  }

  gather(rows: ArrayLike<number>): ValueColumn {
    const values = new Array<Value>(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = this.values[rows[k]];
    return new ValueColumn(this.type, values);
  }
}
