import { BUNDLED_SCHEMA } from '../kql/bundled-schema';
import type { TableSchema } from '../kql/schema';
import type { KustoType } from '../kql/types';

/** A row as gen-data writes it: every schema column by name, in schema order. */
export type Row = Record<string, unknown>;

/**
 * A generated row as the generator builds it: its table's column values in schema order, a datetime
 * as epoch milliseconds. Columnar tables are built from these directly; rowObject turns one into a Row.
 */
export type RowValues = unknown[];

const EMPTY_BY_TYPE: Readonly<Record<KustoType, unknown>> = {
  string: '',
  long: 0,
  int: 0,
  real: 0,
  decimal: 0,
  bool: false,
  datetime: null,
  timespan: null,
  dynamic: null,
  guid: null,
};

/**
 * One bundled-schema table's columns as slots of RowValues. Rows are filled by index instead of as
 * objects of ~80 properties each set by name: those keyed stores (and the garbage of the objects)
 * were most of the generator's time.
 */
export class RowLayout {
  readonly names: readonly string[];
  readonly empties: readonly unknown[];
  private readonly slots: ReadonlyMap<string, number>;
  private readonly datetimeSlots: readonly number[];
  /** An object of every column holding its empty value: copying it keeps V8's fast layout for each Row. */
  private readonly template: Row;

  constructor(readonly schema: TableSchema) {
    this.names = schema.columns.map((c) => c.name);
    this.empties = schema.columns.map((c) => EMPTY_BY_TYPE[c.type]);
    this.slots = new Map(this.names.map((name, i) => [name, i]));
    this.datetimeSlots = schema.columns.flatMap((c, i) => (c.type === 'datetime' ? [i] : []));
    this.template = Object.fromEntries(this.names.map((name, i) => [name, this.empties[i]]));
  }

  /** A row of empty values, to fill. */
  emptyRow(): RowValues {
    return this.empties.slice();
  }

  /**
   * Sets the columns `part` names (a value of null sets the column's empty value, undefined leaves it);
   * a name the schema lacks is an error.
   */
  fill(row: RowValues, part: Readonly<Row>): RowValues {
    for (const name in part) {
      const slot = this.slots.get(name);
      if (slot === undefined) throw new Error(`${this.schema.name} has no column ${name}`);
      const value = part[name];
      if (value !== undefined) row[slot] = value ?? this.empties[slot];
    }
    return row;
  }

  /** The row by column name, in schema order, with its datetimes as ISO 8601 UTC strings. */
  rowObject(values: RowValues): Row {
    const row: Row = { ...this.template };
    const { names } = this;
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
    for (const slot of this.datetimeSlots) {
      const value = values[slot];
      if (typeof value === 'number') row[names[slot]] = iso(value);
    }
    return row;
  }
}

const LAYOUTS = new Map<string, RowLayout>();

/** The layout of a bundled-schema table; a table the schema lacks is an error. */
export function rowLayout(table: string): RowLayout {
  let layout = LAYOUTS.get(table);
  if (!layout) {
    const schema = BUNDLED_SCHEMA.tables.find((t) => t.name === table);
    if (!schema) throw new Error(`no schema for ${table}`);
    LAYOUTS.set(table, (layout = new RowLayout(schema)));
  }
  return layout;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
