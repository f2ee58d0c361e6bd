import type { Cell, KustoType } from '../types';
import { formatDateTime, formatTimespan } from './time';

/**
 * A scalar at run time. The static Kusto type (from the analyser) says how to read it:
 * string -> string (never null: missing is ""), long/int/real/decimal -> number,
 * datetime/timespan -> bigint ticks, bool -> boolean, guid -> string, dynamic -> plain JSON value.
 * null is Kusto's null for every type but string.
 */
export type Value = string | number | boolean | bigint | null | unknown[] | { [key: string]: unknown };

/** Converts a typed scalar to the JSON form it takes inside a dynamic value. */
export function toDynamic(value: Value, type: KustoType): unknown {
  if (value === null) return null;
  if (type === 'datetime') return formatDateTime(value as bigint);
  if (type === 'timespan') return formatTimespan(value as bigint);
  return value;
}

/** The JSON-safe result cell for a typed scalar (see types.ts). */
export function toCell(value: Value, type: KustoType): Cell {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'datetime':
      return formatDateTime(value as bigint);
    case 'timespan':
      return formatTimespan(value as bigint);
    case 'real':
    case 'decimal':
      // JSON has no NaN or infinities: Kusto's wire form spells them as strings.
      return Number.isFinite(value) ? (value as number) : String(value);
    default:
      return value as Cell;
  }
}

/** Total order used by sort/top/min/max: numbers, bigints, strings (ordinal), booleans. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'object' || typeof b === 'object') {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  // numbers, bigints and booleans compare correctly with < and > in JavaScript, even mixed
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Kusto's empty value: "" for strings, null otherwise. */
export function emptyValue(type: KustoType): Value {
  return type === 'string' ? '' : null;
}

/** A stable Map key for any value (bigints and JSON values included). */
export function keyOf(value: Value): string | number | boolean | bigint | null {
  if (value !== null && typeof value === 'object') return `\u0000${JSON.stringify(value)}`;
  return value;
}
