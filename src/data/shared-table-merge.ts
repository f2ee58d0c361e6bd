import type { TableSchema } from '../kql/schema';
import type { KustoType } from '../kql/types';
import { finish, grow } from '../kql/storage/column-builder';
import { decodeStrings, encodeStrings, sharedArray } from '../kql/storage/shared-memory';
import { NULL_CODE, type SharedColumn, type SharedTable } from '../kql/storage/shared-table';

/**
 * Puts the tables parsed from consecutive pieces of one file back together, piece by piece in file
 * order, into one table in shared memory: exactly the table the whole file parsed at once gives.
 * Numbers, datetimes and bools are copied into place; each string column's dictionary is merged in
 * order of first appearance (a piece's new values after every earlier piece's), so the dictionary
 * and the codes come out as one sequential pass makes them.
 */
export class SharedTableAppender {
  private readonly columns: ColumnAppender[];
  private rows = 0;

  /** `capacity`: the rows expected, so the columns are sized once (see estimateRows). */
  constructor(
    private readonly schema: TableSchema,
    capacity: number,
  ) {
    this.columns = schema.columns.map((c) => columnAppender(c.type, capacity));
  }

  append(part: SharedTable): void {
    this.columns.forEach((column, index) => column.append(part.columns[index], this.rows, part.length));
    this.rows += part.length;
  }

  build(): SharedTable {
    return { schema: this.schema, length: this.rows, columns: this.columns.map((c) => c.build(this.rows)) };
  }
}

interface ColumnAppender {
  append(part: SharedColumn, at: number, rows: number): void;
  build(rows: number): SharedColumn;
}

type Stored = Float64Array | Uint32Array | Uint16Array | Uint8Array;

/** `target` with room for `needed` elements (grown by doubling, in shared memory). */
function room<T extends Stored>(target: T, needed: number): T {
  return needed <= target.length ? target : grow(target, needed);
}

/** Distinct texts in order of first appearance, and the codes that point at them. */
class DictionaryAppender implements ColumnAppender {
  private readonly index = new Map<string, number>();
  private readonly texts: string[] = [];
  private codes: Uint32Array;

  constructor(
    private readonly kind: 'string' | 'value',
    private readonly type: KustoType,
    capacity: number,
  ) {
    this.codes = sharedArray(Uint32Array, capacity);
  }

  append(part: SharedColumn, at: number, rows: number): void {
    if (part.kind !== 'string' && part.kind !== 'value') throw new Error(`a ${part.kind} column where ${this.kind} was expected`);
    const local = decodeStrings(part.kind === 'string' ? part.dict : part.texts);
    const remap = new Uint32Array(local.length);
    let identity = true;
    for (let code = 0; code < local.length; code++) {
      let global = this.index.get(local[code]);
      if (global === undefined) {
        global = this.texts.length;
        this.texts.push(local[code]);
        this.index.set(local[code], global);
      }
      remap[code] = global;
      identity &&= global === code;
    }
    this.codes = room(this.codes, at + rows);
    if (identity) {
      this.codes.set(part.codes.subarray(0, rows), at);
      return;
    }
    const source = part.codes;
    const target = this.codes;
    for (let row = 0; row < rows; row++) {
      const code = source[row];
      target[at + row] = code === NULL_CODE ? NULL_CODE : remap[code];
    }
  }

  build(rows: number): SharedColumn {
    const codes = finish(this.codes, rows, true);
    if (this.kind === 'string') return { kind: 'string', dict: encodeStrings(this.texts), codes };
    return { kind: 'value', type: this.type, texts: encodeStrings(this.texts), codes };
  }
}

class DateTimeAppender implements ColumnAppender {
  private ms: Float64Array;
  private sub: Uint16Array;

  constructor(capacity: number) {
    this.ms = sharedArray(Float64Array, capacity);
    this.sub = sharedArray(Uint16Array, capacity);
  }

  append(part: SharedColumn, at: number, rows: number): void {
    if (part.kind !== 'datetime') throw new Error(`a ${part.kind} column where datetime was expected`);
    this.ms = room(this.ms, at + rows);
    this.sub = room(this.sub, at + rows);
    this.ms.set(part.ms.subarray(0, rows), at);
    this.sub.set(part.sub.subarray(0, rows), at);
  }

  build(rows: number): SharedColumn {
    return { kind: 'datetime', ms: finish(this.ms, rows, true), sub: finish(this.sub, rows, true) };
  }
}

class NumberAppender implements ColumnAppender {
  private values: Float64Array;
  /** Only once a piece has a null, as the sequential builder does. */
  private nulls: Uint8Array | null = null;

  constructor(
    private readonly type: KustoType,
    capacity: number,
  ) {
    this.values = sharedArray(Float64Array, capacity);
  }

  append(part: SharedColumn, at: number, rows: number): void {
    if (part.kind !== 'number') throw new Error(`a ${part.kind} column where number was expected`);
    this.values = room(this.values, at + rows);
    this.values.set(part.values.subarray(0, rows), at);
    if (part.nulls) {
      this.nulls ??= sharedArray(Uint8Array, this.values.length);
      this.nulls = room(this.nulls, at + rows);
      this.nulls.set(part.nulls.subarray(0, rows), at);
    } else if (this.nulls) {
      this.nulls = room(this.nulls, at + rows);
      this.nulls.fill(0, at, at + rows);
    }
  }

  build(rows: number): SharedColumn {
    return { kind: 'number', type: this.type, values: finish(this.values, rows, true), nulls: this.nulls ? finish(this.nulls, rows, true) : null };
  }
}

class BoolAppender implements ColumnAppender {
  private values: Uint8Array;

  constructor(capacity: number) {
    this.values = sharedArray(Uint8Array, capacity);
  }

  append(part: SharedColumn, at: number, rows: number): void {
    if (part.kind !== 'bool') throw new Error(`a ${part.kind} column where bool was expected`);
    this.values = room(this.values, at + rows);
    this.values.set(part.values.subarray(0, rows), at);
  }

  build(rows: number): SharedColumn {
    return { kind: 'bool', values: finish(this.values, rows, true) };
  }
}

/** The appender for a column of `type`, matching how shareColumn stores that type. */
function columnAppender(type: KustoType, capacity: number): ColumnAppender {
  switch (type) {
    case 'string':
      return new DictionaryAppender('string', type, capacity);
    case 'datetime':
      return new DateTimeAppender(capacity);
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return new NumberAppender(type, capacity);
    case 'bool':
      return new BoolAppender(capacity);
    default:
      return new DictionaryAppender('value', type, capacity);
  }
}
