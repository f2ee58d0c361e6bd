import { NumberColumn, StringColumn, type Column } from '../storage/column';
import type { Grouping } from './grouping';

/**
 * A hash set of (group, number) pairs in typed arrays: make_set over a whole input needs one
 * instead of a JavaScript Set per group.
 */
class GroupValueSet {
  private groups: Int32Array;
  private values: Float64Array;
  private size = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.groups = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(capacity);
  }

  private slotOf(group: number, value: number, groups: Int32Array, values: Float64Array): number {
    this.bits[0] = value;
    let h = Math.imul(this.words[0] ^ Math.imul(this.words[1], 0x9e3779b1) ^ Math.imul(group + 1, 0x85ebca6b), 0xc2b2ae35);
    h ^= h >>> 16;
    const mask = groups.length - 1;
    let slot = h & mask;
    while (groups[slot] >= 0 && (groups[slot] !== group || values[slot] !== value)) slot = (slot + 1) & mask;
    return slot;
  }

  /** Adds the pair; false when it was already there. */
  add(group: number, value: number): boolean {
    const slot = this.slotOf(group, value, this.groups, this.values);
    if (this.groups[slot] >= 0) return false;
    this.groups[slot] = group;
    this.values[slot] = value;
    if (++this.size * 2 > this.groups.length) this.grow();
    return true;
  }

  private grow(): void {
    const groups = new Int32Array(this.groups.length * 2).fill(-1);
    const values = new Float64Array(groups.length);
    for (let s = 0; s < this.groups.length; s++) {
      if (this.groups[s] < 0) continue;
      const slot = this.slotOf(this.groups[s], this.values[s], groups, values);
      groups[slot] = this.groups[s];
      values[slot] = this.values[s];
    }
    this.groups = groups;
    this.values = values;
  }
}

/**
 * make_set / make_list over a bare number or string column, reading the typed arrays directly
 * (strings are deduplicated by dictionary code). Null when the column is of another kind.
 */
export function collectColumn(source: Column | undefined, g: Grouping, distinct: boolean, limit: number): unknown[][] | null {
  if (!(source instanceof NumberColumn) && !(source instanceof StringColumn)) return null;
  const { rows, groupOf } = g;
  const lists: unknown[][] = Array.from({ length: g.groupCount }, () => []);
  const seen = distinct ? new GroupValueSet(Math.min(rows.length, 1 << 20)) : null;
  if (source instanceof NumberColumn) {
    const { values, nulls } = source;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (nulls !== null && nulls[i] === 1) continue;
      const list = lists[groupOf[k]];
      if (list.length >= limit) continue;
      const v = values[i] === 0 ? 0 : values[i]; // -0 and 0 are one value
      if (!seen || seen.add(groupOf[k], v)) list.push(v);
    }
  } else {
    const { dict, codes } = source;
    for (let k = 0; k < rows.length; k++) {
      const list = lists[groupOf[k]];
      if (list.length >= limit) continue;
      const code = codes[rows[k]];
      if (!seen || seen.add(groupOf[k], code)) list.push(dict[code]);
    }
  }
  return lists;
}
