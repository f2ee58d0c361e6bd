import type { TableSchema } from '../schema';
import type { KustoType } from '../types';
import type { Value } from '../values/value';
import { BoolColumn, type Column, DateTimeColumn, NumberColumn, type SharedValues, StringColumn, ValueColumn } from './column';
import { decodeStrings, encodeStrings, type SharedStrings, sharedArray, sharedCopy } from './shared-memory';
import { Table } from './table';

/**
 * A table as plain data over shared memory: what one thread posts to another (structured clone
 * shares SharedArrayBuffers, so no column is copied) and what a snapshot file holds.
 */
export interface SharedTable {
  schema: TableSchema;
  length: number;
  columns: SharedColumn[];
}

export type SharedColumn =
  | { kind: 'string'; dict: SharedStrings; codes: Uint32Array }
  | { kind: 'datetime'; ms: Float64Array; sub: Uint16Array }
  | { kind: 'number'; type: KustoType; values: Float64Array; nulls: Uint8Array | null }
  | { kind: 'bool'; values: Uint8Array }
  /** dynamic, timespan, guid: each distinct value's text once (see encodeValue), rows hold codes; NULL_CODE is null. */
  | { kind: 'value'; type: KustoType; texts: SharedStrings; codes: Uint32Array };

export const NULL_CODE = 0xffffffff;

/** The table with every column in shared memory (columns already there are not copied). */
export function shareTable(schema: TableSchema, table: Table): SharedTable {
  const compact = table.compact();
  return { schema, length: compact.length, columns: compact.columns.map(shareColumn) };
}

export function shareColumn(column: Column): SharedColumn {
  if (column instanceof StringColumn) {
    return { kind: 'string', dict: column.sharedDict ?? encodeStrings(column.dict), codes: sharedCopy(column.codes) };
  }
  if (column instanceof DateTimeColumn) return { kind: 'datetime', ms: sharedCopy(column.ms), sub: sharedCopy(column.sub) };
  if (column instanceof NumberColumn) {
    return { kind: 'number', type: column.type, values: sharedCopy(column.values), nulls: column.nulls ? sharedCopy(column.nulls) : null };
  }
  if (column instanceof BoolColumn) return { kind: 'bool', values: sharedCopy(column.values) };
  if (column instanceof ValueColumn) return shareValues(column);
  throw new Error(`cannot share a ${column.constructor.name}`);
}

function shareValues(column: ValueColumn): SharedColumn {
  if (column.sharedValues instanceof SharedValueCodes) {
    return { kind: 'value', type: column.type, texts: column.sharedValues.texts, codes: column.sharedValues.codes };
  }
  const index = new Map<string, number>();
  const texts: string[] = [];
  const codes = sharedArray(Uint32Array, column.length);
  for (let i = 0; i < codes.length; i++) {
    const text = encodeValue(column.get(i), column.type);
    if (text === null) {
      codes[i] = NULL_CODE;
      continue;
    }
    let code = index.get(text);
    if (code === undefined) {
      code = texts.length;
      texts.push(text);
      index.set(text, code);
    }
    codes[i] = code;
  }
  return { kind: 'value', type: column.type, texts: encodeStrings(texts), codes };
}

/** timespan: its ticks in decimal; guid: itself; dynamic: its JSON. Null stays null. */
function encodeValue(value: Value, type: KustoType): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'timespan') return String(value);
  if (type === 'dynamic') return JSON.stringify(value) ?? null;
  return String(value);
}

/** Codes into distinct value texts, decoded into this thread's own values on first use. */
class SharedValueCodes implements SharedValues {
  constructor(
    private readonly type: KustoType,
    readonly texts: SharedStrings,
    readonly codes: Uint32Array,
  ) {}

  decode(): Value[] {
    const texts = decodeStrings(this.texts);
    const { codes, type } = this;
    const values = new Array<Value>(codes.length);
    // Scalars are decoded once per distinct text; objects and arrays once per row, so that no two rows share one.
    const scalars = new Array<Value | undefined>(texts.length);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code === NULL_CODE) {
        values[i] = null;
        continue;
      }
      let value = scalars[code];
      if (value === undefined) {
        const text = texts[code];
        if (type === 'timespan') value = BigInt(text);
        else if (type !== 'dynamic') value = text;
        else {
          const parsed = JSON.parse(text) as Value;
          if (parsed !== null && typeof parsed === 'object') {
            values[i] = parsed;
            continue;
          }
          value = parsed;
        }
        scalars[code] = value;
      }
      values[i] = value;
    }
    return values;
  }
}

/** The table over the shared columns (no copy; strings and values are decoded per thread when first read). */
export function tableFromShared(shared: SharedTable): Table {
  return new Table(
    shared.schema.columns.map((c) => ({ name: c.name, type: c.type })),
    shared.columns.map(columnFromShared),
    shared.length,
  );
}

function columnFromShared(column: SharedColumn): Column {
  switch (column.kind) {
    case 'string':
      return new StringColumn(column.dict, column.codes);
    case 'datetime':
      return new DateTimeColumn(column.ms, column.sub);
    case 'number':
      return new NumberColumn(column.type, column.values, column.nulls);
    case 'bool':
      return new BoolColumn(column.values);
    case 'value':
      return new ValueColumn(column.type, new SharedValueCodes(column.type, column.texts, column.codes));
  }
}
