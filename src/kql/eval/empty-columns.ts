import { BOOL_NULL, BoolColumn, type Column, DateTimeColumn, NumberColumn, StringColumn, ValueColumn } from '../storage/column';
import type { Table } from '../storage/table';
import type { KustoType } from '../types';

/**
 * Columns of `length` empty values ("" for strings, null otherwise). search and find over many
 * tables yield hundreds of columns that a given table lacks: every such column of one type shares one
 * backing array (columns are never written after they are built), so they cost almost nothing.
 */
export class EmptyColumns {
  private readonly byType = new Map<KustoType, Column>();

  constructor(readonly length: number) {}

  of(type: KustoType): Column {
    let column = this.byType.get(type);
    if (!column) {
      column = emptyColumn(type, this.length);
      this.byType.set(type, column);
    }
    return column;
  }
}

function emptyColumn(type: KustoType, n: number): Column {
  switch (type) {
    case 'string':
      return new StringColumn([''], new Uint32Array(n));
    case 'datetime':
      return new DateTimeColumn(new Float64Array(n).fill(Number.NaN), new Uint16Array(n));
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return new NumberColumn(type, new Float64Array(n), new Uint8Array(n).fill(1));
    case 'bool':
      return new BoolColumn(new Uint8Array(n).fill(BOOL_NULL));
    default:
      return new ValueColumn(type, new Array<null>(n).fill(null));
  }
}

/** The table with an empty column added for each of `wanted` it lacks (so a predicate naming them can run). */
export function withEmptyColumns(table: Table, wanted: ReadonlyArray<{ name: string; type: KustoType }>): Table {
  const missing = wanted.filter((w, k) => table.indexOf(w.name) < 0 && wanted.findIndex((o) => o.name === w.name) === k);
  if (missing.length === 0) return table;
  const empty = new EmptyColumns(table.physicalLength);
  return table.withColumns(
    [...table.fields, ...missing.map((m) => ({ name: m.name, type: m.type }))],
    [...table.columns, ...missing.map((m) => empty.of(m.type))],
  );
}
