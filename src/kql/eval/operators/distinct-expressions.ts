import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { Table } from '../../storage/table';
import type { Value } from '../../values/value';
import type { QueryContext } from '../context';
import { evaluateColumn } from '../evaluate-column';
import { compositeKey } from '../row-keys';

/**
 * `distinct tolower(A), Name = B`: Kusto takes expressions here as `summarize by` does (the analyser
 * names them Column1, Name, ...; published hunts write `distinct tolower(AccountUpn)` and
 * `distinct Action = ActionType1`). Each expression is evaluated once per row, then the first row of
 * each combination is kept, in input order.
 */
export function distinctOfExpressions(items: readonly SyntaxNode[], input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const rows = input.rowIndexes();
  const scope = { ctx, table: input };
  const columns = items.map((item, k) => {
    const expr = item.kind === 'SimpleNamedExpression' ? item.required('Expression') : item;
    return evaluateColumn(expr, scope, rows, output[k]?.type);
  });
  const seen = new Set<unknown>();
  const keep: number[] = [];
  const values = new Array<Value>(columns.length);
  for (let k = 0; k < rows.length; k++) {
    ctx.budget.work(1);
    for (let c = 0; c < columns.length; c++) values[c] = columns[c].get(k);
    const key = compositeKey(values);
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(k);
    }
  }
  return new Table(
    columns.map((column, k) => ({ name: output[k]?.name ?? `Column${k + 1}`, type: column.type })),
    columns,
    rows.length,
    Uint32Array.from(keep),
  );
}
