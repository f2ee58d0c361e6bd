import type { TableSchema } from '../schema';
import type { KustoType } from '../types';
import { parseIsoDateTime } from '../values/time';
import { type ColumnBuilder, columnBuilder } from './column-builder';
import { Table } from './table';

/** Builds a table of a known schema from row objects; properties not in the schema are ignored. */
export class TableBuilder {
  private readonly builders: ColumnBuilder[];
  private readonly names: string[];
  private count = 0;

  constructor(
    private readonly schema: TableSchema,
    capacity = 16,
    shared = false,
  ) {
    this.names = schema.columns.map((c) => c.name);
    this.builders = schema.columns.map((c) => columnBuilder(c.type, capacity, shared));
  }

  appendRow(row: Record<string, unknown>): void {
    const { names, builders } = this;
    for (let c = 0; c < names.length; c++) builders[c].appendRaw(row[names[c]]);
    this.count++;
  }

  build(): Table {
    return new Table(
      this.schema.columns.map((c) => ({ name: c.name, type: c.type })),
      this.builders.map((b) => b.build()),
      this.count,
    );
  }
}

export function tableFromRows(schema: TableSchema, rows: ReadonlyArray<Record<string, unknown>>, shared = false): Table {
  const b = new TableBuilder(schema, rows.length, shared);
  for (const row of rows) b.appendRow(row);
  return b.build();
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

function typeOfRaw(v: unknown): KustoType | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (typeof v === 'bigint') return 'long';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'string') return ISO_UTC.test(v) && parseIsoDateTime(v) ? 'datetime' : 'string';
  return 'dynamic';
}

function unify(a: KustoType | null, b: KustoType | null): KustoType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  if ((a === 'long' && b === 'real') || (a === 'real' && b === 'long')) return 'real';
  if ((a === 'string' && b === 'datetime') || (a === 'datetime' && b === 'string')) return 'string';
  return 'dynamic';
}

/**
 * Infers a schema for a table the bundled schema does not describe: columns in first-seen order; booleans ->
 * bool, whole numbers -> long, other numbers -> real, Date objects and ISO 8601 UTC strings
 * (`...T...Z`) -> datetime, other strings -> string, objects/arrays and mixed kinds -> dynamic,
 * all-null -> string.
 */
export function inferSchema(name: string, rows: ReadonlyArray<Record<string, unknown>>): TableSchema {
  const types = new Map<string, KustoType | null>();
  for (const row of rows) {
    for (const [key, v] of Object.entries(row)) types.set(key, unify(types.get(key) ?? null, typeOfRaw(v)));
  }
  return { name, columns: [...types].map(([n, t]) => ({ name: n, type: t ?? 'string' })) };
}
