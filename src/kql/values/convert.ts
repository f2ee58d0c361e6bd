import type { KustoType } from '../types';
import { formatDateTime, formatTimespan, parseDateTimeTicks } from './time';
import type { Value } from './value';

/** tostring(): "" for null, ISO text for datetimes, Kusto text for timespans, JSON for dynamic bags/arrays. */
export function toKustoString(value: Value, type: KustoType): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string':
    case 'guid':
      return value as string;
    case 'datetime':
      return formatDateTime(value as bigint);
    case 'timespan':
      return formatTimespan(value as bigint);
    case 'bool':
      return value ? 'true' : 'false';
    case 'dynamic':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    default:
      return String(value);
  }
}

/** tolong()/toint() (truncating) and toreal(): null when the value has no numeric reading. */
export function toNumber(value: Value, type: KustoType, integral: boolean): number | null {
  if (value === null || value === undefined) return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'bigint') n = Number(value); // datetime/timespan ticks, as Kusto's tolong does
  else if (typeof value === 'string') {
    const s = value.trim();
    if (s === '') return null;
    n = Number(s);
  } else return null;
  if (Number.isNaN(n)) return integral ? null : n;
  return integral ? Math.trunc(n) : n;
}

/** todatetime(): datetimes pass through; strings are parsed; anything else is null. */
export function toDateTime(value: Value, type: KustoType): bigint | null {
  if (value === null || value === undefined) return null;
  if (type === 'datetime') return value as bigint;
  if (typeof value === 'string') return parseDateTimeTicks(value);
  if (typeof value === 'number' && type === 'long') return BigInt(Math.trunc(value)); // ticks, as Kusto does for long
  return null;
}

export function toBool(value: Value): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    const n = Number(s);
    return s !== '' && !Number.isNaN(n) ? n !== 0 : null;
  }
  return null;
}

/** Reads a dynamic value as the given scalar type (used when comparing dynamic with typed values). */
export function fromDynamic(value: unknown, type: KustoType): Value {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return toKustoString(value as Value, 'dynamic');
    case 'datetime':
      return typeof value === 'string' ? parseDateTimeTicks(value) : null;
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return toNumber(value as Value, 'dynamic', type === 'long' || type === 'int');
    case 'bool':
      return toBool(value as Value);
    default:
      return value as Value;
  }
}
