import type { Value } from '../values/value';
import { keyOf } from '../values/value';

/** A Map key standing for a tuple of values (types are kept apart: 1 and '1' differ). */
export function compositeKey(values: readonly Value[]): string | number | boolean | bigint | null {
  if (values.length === 1) return keyOf(values[0]);
  let out = '';
  for (const v of values) {
    const t = v === null ? 'z' : typeof v === 'object' ? 'o' : typeof v === 'bigint' ? 'g' : (typeof v)[0];
    const s = v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    out += `${t}${s.length}:${s}`;
  }
  return out;
}
