import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Table } from '../../storage/table';
import { toDynamic, type Value } from '../../values/value';
import type { QueryContext } from '../context';
import { withEmptyColumns } from '../empty-columns';
import { predicateColumns, searchFilter } from '../search-predicate';
import { searchedTables } from '../searched-tables';
import { type CellReader, sourceColumnIndex, type StackedSource, stackSources } from '../stack-sources';
import { parameterText } from './parameters';

/** find's default source column (find operator page, "source_ column"); withsource= renames it. */
const DEFAULT_SOURCE_COLUMN = 'source_';

/** The property-bag column: `pack_` for project-smart and for `project ..., pack(*)`. */
function packColumn(op: SyntaxNode, output: readonly ColumnInfo[], sourceColumn: string): string | null {
  const last = output[output.length - 1];
  if (!last || last.type !== 'dynamic' || last.name === sourceColumn) return null;
  const columns = op.child('Project')?.list('Columns') ?? [];
  if (columns.length === 0) return last.name === 'pack_' ? last.name : null; // project-smart
  return columns.some((c) => c.kind === 'PackExpression') ? last.name : null;
}

/** A row's columns that no other output column shows, as a property bag. */
function packReader(table: Table, output: readonly ColumnInfo[], shown: ReadonlySet<string>): CellReader {
  const used = new Set(output.filter((c) => shown.has(c.name)).map((c) => sourceColumnIndex(table, c)));
  const packed = table.fields.map((f, index) => ({ ...f, index })).filter((f) => !used.has(f.index));
  return (k) => {
    const row = table.rowAt(k);
    const bag: Record<string, unknown> = {};
    for (const f of packed) bag[f.name] = toDynamic(table.columns[f.index].get(row), f.type);
    return bag as Value;
  };
}

/**
 * `find [withsource=Col] [in (Tables)] where Predicate [project-smart | project Cols[, pack(*)]]`
 * (find operator page): the rows of each table the predicate holds for. Tables with none of the
 * columns the predicate names are left out; the rest read a column they lack as empty. The
 * analyser computes the output columns (common and named ones); `pack_` holds each row's others.
 */
export function find(op: SyntaxNode, ctx: QueryContext, output: ColumnInfo[]): Table {
  const sourceColumn = parameterText(op, 'withsource') ?? DEFAULT_SOURCE_COLUMN;
  const predicate = op.required('Condition');
  const wanted = predicateColumns(predicate);
  const names = new Set(wanted.map((w) => w.name));
  const tables = searchedTables(op, ctx).filter((s) => names.size === 0 || s.table.fields.some((f) => names.has(f.name)));
  const pack = packColumn(op, output, sourceColumn);
  const shown = new Set(output.map((c) => c.name).filter((name) => name !== sourceColumn && name !== pack));
  const sources: StackedSource[] = tables.map((s) => {
    const table = searchFilter(predicate, withEmptyColumns(s.table, wanted), ctx, false);
    return pack ? { name: s.name, table, computed: new Map([[pack, packReader(s.table.withRows(table.rowIndexes()), output, shown)]]) } : { name: s.name, table };
  });
  return stackSources(sources, output, sourceColumn, op, ctx);
}
