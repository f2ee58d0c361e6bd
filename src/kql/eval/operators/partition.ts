import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import { keyOf } from '../../values/value';
import type { QueryContext } from '../context';
import { compileScalar } from '../scalar';

/**
 * partition by Col (subquery): the subquery runs on the rows of each value of Col (as its implicit
 * input) and the results follow one another. The `{ ... }` form with `$partition` is not supported.
 */
export function partition(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const operand = op.required('Operand');
  if (operand.kind !== 'PartitionSubquery') return ctx.unsupported(operand, 'partition with a { ... } query');
  const key = compileScalar(op.required('ByExpression'), { ctx, table: input }).eval;
  const groups = new Map<unknown, number[]>();
  for (const i of input.rowIndexes()) {
    const k = keyOf(key(i));
    const list = groups.get(k);
    if (list) list.push(i);
    else groups.set(k, [i]);
  }
  const results: Table[] = [];
  for (const rows of groups.values()) {
    ctx.implicitInputs.push(input.withRows(Uint32Array.from(rows)));
    try {
      results.push(ctx.tabular(operand.required('Subquery')));
    } finally {
      ctx.implicitInputs.pop();
    }
  }
  const total = results.reduce((n, r) => n + r.length, 0);
  ctx.budget.rows(total, op);
  const columns = output.map((out) => {
    const b = columnBuilder(out.type, total);
    for (const r of results) {
      const index = r.indexOf(out.name);
      for (let k = 0; k < r.length; k++) b.append(index >= 0 ? r.columns[index].get(r.rowAt(k)) : null);
    }
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    total,
  );
}
