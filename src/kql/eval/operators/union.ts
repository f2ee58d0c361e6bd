import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import { fromDynamic, toKustoString } from '../../values/convert';
import { emptyValue, type Value } from '../../values/value';
import type { QueryContext } from '../context';
import { sourceColumnIndex } from '../stack-sources';
import { parameterText } from './parameters';

/** kind=inner: only the columns (name and type) every input has. The analyser does not narrow them, so we do. */
function commonColumns(sources: Array<{ table: Table }>, output: ColumnInfo[]): ColumnInfo[] {
  return output.filter((out) => sources.every((s) => sourceColumnIndex(s.table, out) >= 0));
}

/**
 * union: rows of every input, one after another, with the analyser's output columns matched by
 * name (an input without a column contributes empty values). `withsource=Name` adds the source name.
 */
export function union(op: SyntaxNode, piped: Table | null, ctx: QueryContext, analysed: ColumnInfo[]): Table {
  const sources: Array<{ name: string; table: Table }> = [];
  if (piped) sources.push({ name: 'union_arg0', table: piped });
  const fuzzy = parameterText(op, 'isfuzzy')?.toLowerCase() === 'true';
  for (const e of op.list('Expressions')) {
    // isfuzzy=true: a table that does not exist is skipped, as Kusto does (with a warning from the analyser).
    if (fuzzy && e.kind === 'NameReference' && !e.symbol) continue;
    sources.push({ name: e.text.trim(), table: ctx.tabular(e) });
  }
  const sourceColumn = parameterText(op, 'withsource') ?? parameterText(op, 'withsource_');
  const inner = parameterText(op, 'kind')?.toLowerCase() === 'inner';
  const output = inner ? analysed.filter((c) => c.name === sourceColumn || commonColumns(sources, [c]).length > 0) : analysed;
  const total = sources.reduce((n, s) => n + s.table.length, 0);
  ctx.budget.rows(total, op);
  const columns = output.map((out) => {
    const b = columnBuilder(out.type, total);
    if (out.name === sourceColumn) {
      for (const s of sources) for (let k = 0; k < s.table.length; k++) b.append(s.name);
      return b.build();
    }
    const indexes = sources.map((s) => sourceColumnIndex(s.table, out));
    if (indexes.every((i) => i < 0)) return ctx.unsupported(op, `union producing column ${out.name}`);
    sources.forEach((s, n) => {
      const index = indexes[n];
      const from: KustoType = index >= 0 ? s.table.fields[index].type : out.type;
      for (let k = 0; k < s.table.length; k++) {
        const v: Value = index >= 0 ? s.table.columns[index].get(s.table.rowAt(k)) : emptyValue(out.type);
        b.append(convert(v, from, out.type));
      }
    });
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    total,
  );
}

function convert(v: Value, from: KustoType, to: KustoType): Value {
  if (from === to || v === null) return v;
  if (from === 'dynamic') return fromDynamic(v, to);
  if (to === 'string') return toKustoString(v, from);
  return v;
}
