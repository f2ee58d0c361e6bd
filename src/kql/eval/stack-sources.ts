import type { ColumnInfo, SyntaxNode } from '../parser/syntax-node';
import { type Column, StringColumn } from '../storage/column';
import { columnBuilder } from '../storage/column-builder';
import { Table } from '../storage/table';
import type { KustoType } from '../types';
import { fromDynamic, toKustoString } from '../values/convert';
import { emptyValue, toDynamic, type Value } from '../values/value';
import type { QueryContext } from './context';
import { EmptyColumns } from './empty-columns';
import type { NamedSource } from './searched-tables';

/** Reads one output column's value for logical row k of one source. */
export type CellReader = (k: number) => Value;

/** A source whose rows go into the output, with readers for columns it computes itself (find's pack_). */
export interface StackedSource extends NamedSource {
  computed?: ReadonlyMap<string, CellReader>;
}

/**
 * The source column an output column reads (union, search, find): its own name, or `name_type` when a name
 * has several types across the inputs (x_long, x_int); -1 when the source has neither.
 */
export function sourceColumnIndex(table: Table, out: ColumnInfo): number {
  const exact = table.indexOf(out.name);
  if (exact >= 0) return exact;
  const suffix = `_${out.type}`;
  if (!out.name.endsWith(suffix)) return -1;
  const base = table.indexOf(out.name.slice(0, -suffix.length));
  return base >= 0 && table.fields[base].type === out.type ? base : -1;
}

export function convertValue(v: Value, from: KustoType, to: KustoType): Value {
  if (from === to || v === null) return v;
  if (to === 'dynamic') return toDynamic(v, from) as Value;
  if (from === 'dynamic') return fromDynamic(v, to);
  if (to === 'string') return toKustoString(v, from);
  return v;
}

function reader(source: StackedSource, out: ColumnInfo): CellReader | null {
  const computed = source.computed?.get(out.name);
  if (computed) return computed;
  const { table } = source;
  const index = sourceColumnIndex(table, out);
  if (index < 0) return null;
  const column = table.columns[index];
  const from = table.fields[index].type;
  return (k) => convertValue(column.get(table.rowAt(k)), from, out.type);
}

/**
 * The rows of every source one after another, as the analyser's output columns: a column a source
 * lacks is empty for its rows (as in union), and `sourceColumn` names each row's source.
 */
export function stackSources(all: readonly StackedSource[], output: readonly ColumnInfo[], sourceColumn: string, op: SyntaxNode, ctx: QueryContext): Table {
  const sources = all.filter((s) => s.table.length > 0);
  const total = sources.reduce((n, s) => n + s.table.length, 0);
  ctx.budget.rows(total, op);
  if (sources.length === 1) return oneSource(sources[0], output, sourceColumn) ?? stacked(sources, output, sourceColumn, total, ctx);
  return stacked(sources, output, sourceColumn, total, ctx);
}

/**
 * One source (`search in (T)`, a piped search): its own columns and row selection, no copy, so the
 * operators after it keep their column fast paths; null when a column needs converting.
 */
function oneSource(source: StackedSource, output: readonly ColumnInfo[], sourceColumn: string): Table | null {
  if (source.computed) return null;
  const { table } = source;
  const empty = new EmptyColumns(table.physicalLength);
  const columns: Column[] = [];
  for (const out of output) {
    if (out.name === sourceColumn) {
      columns.push(new StringColumn([source.name], new Uint32Array(table.physicalLength)));
      continue;
    }
    const index = sourceColumnIndex(table, out);
    if (index >= 0 && table.fields[index].type !== out.type) return null;
    columns.push(index >= 0 ? table.columns[index] : empty.of(out.type));
  }
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    table.physicalLength,
    table.rowIndexes(),
  );
}

function stacked(sources: readonly StackedSource[], output: readonly ColumnInfo[], sourceColumn: string, total: number, ctx: QueryContext): Table {
  const empty = new EmptyColumns(total);
  const columns: Column[] = output.map((out) => {
    if (out.name === sourceColumn) {
      // Dictionary-encoded, one entry per distinct name (grouping by the column groups by its codes).
      const names = [...new Set(sources.map((s) => s.name))];
      const codes = new Uint32Array(total);
      let at = 0;
      for (const s of sources) codes.fill(names.indexOf(s.name), at, (at += s.table.length));
      return new StringColumn(names, codes);
    }
    const readers = sources.map((s) => reader(s, out));
    if (readers.every((r) => r === null)) return empty.of(out.type);
    const b = columnBuilder(out.type, total);
    const blank = emptyValue(out.type);
    sources.forEach((s, n) => {
      const read = readers[n];
      for (let k = 0; k < s.table.length; k++) b.append(read ? read(k) : blank);
      ctx.budget.work(s.table.length);
    });
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    total,
  );
}
