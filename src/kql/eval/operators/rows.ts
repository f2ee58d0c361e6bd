import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { NumberColumn } from '../../storage/column';
import { Table } from '../../storage/table';
import { compareValues, type Value } from '../../values/value';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { compositeKey } from '../row-keys';
import { compileScalar } from '../scalar';
import { distinctOfExpressions } from './distinct-expressions';

interface SortKey {
  values: Value[];
  descending: boolean;
  nullsFirst: boolean;
}

/** `expr [asc|desc] [nulls first|last]`: descending by default; nulls last when descending, first when ascending. */
function sortKey(item: SyntaxNode, scope: Scope, rows: Uint32Array): SortKey {
  const expr = item.kind === 'OrderedExpression' ? item.required('Expression') : item;
  const ordering = item.kind === 'OrderedExpression' ? item.child('Ordering') : null;
  const direction = ordering?.child('AscOrDescKeyword')?.text.toLowerCase();
  const descending = direction !== 'asc';
  const nulls = ordering?.child('NullsClause')?.child('FirstOrLastKeyword')?.text.toLowerCase();
  const nullsFirst = nulls ? nulls === 'first' : !descending;
  const f = compileScalar(expr, scope).eval;
  const budget = scope.ctx.budget;
  const values = new Array<Value>(rows.length);
  for (let k = 0; k < rows.length; k++) {
    budget.work(1);
    values[k] = f(rows[k]);
  }
  return { values, descending, nullsFirst };
}

/** Stable order of the rows by the keys; the order and the keys are buffers of the operator `op`. */
function sortedRows(input: Table, items: SyntaxNode[], ctx: QueryContext, op: SyntaxNode): Uint32Array {
  ctx.budget.rows(input.length, op);
  const rows = input.rowIndexes();
  const keys = items.map((item) => sortKey(item, { ctx, table: input }, rows));
  const order = Array.from({ length: rows.length }, (_, k) => k);
  order.sort((a, b) => {
    for (const key of keys) {
      const x = key.values[a];
      const y = key.values[b];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  });
  const out = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = rows[order[k]];
  return out;
}

export function sort(op: SyntaxNode, input: Table, ctx: QueryContext): Table {
  return input.withRows(sortedRows(input, op.list('Expressions'), ctx, op));
}

/** A row count argument (take 10, top 5): a constant long. */
function rowCount(node: SyntaxNode, ctx: QueryContext): number {
  const c = compileScalar(node, { ctx, table: null });
  const n = c.eval(-1);
  if (!c.constant || typeof n !== 'number') return ctx.unsupported(node, 'a non-constant row count');
  return Math.max(0, Math.trunc(n));
}

export function top(op: SyntaxNode, input: Table, ctx: QueryContext): Table {
  const n = rowCount(op.required('Expression'), ctx);
  return input.withRows(sortedRows(input, [op.required('ByExpression')], ctx, op).slice(0, n));
}

/** take/limit: the first n rows (Kusto promises no particular rows; we keep input order). */
export function take(op: SyntaxNode, input: Table, ctx: QueryContext): Table {
  const n = rowCount(op.required('Expression'), ctx);
  return input.withRows(input.rowIndexes().slice(0, n));
}

/**
 * distinct cols / distinct * / distinct expressions: first occurrence of each combination, in input order.
 * Items that name or compute a column (`distinct Action = ActionType1`, `distinct tolower(X)`) go through
 * distinctOfExpressions.
 */
export function distinct(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const items = op.list('Expressions');
  const star = items.length === 1 && items[0].kind === 'StarExpression';
  const indexes = star ? input.fields.map((_, i) => i) : items.map((item) => (item.kind === 'SimpleNamedExpression' || item.symbol?.kind !== 'Column' ? -1 : input.indexOf(item.symbol.name)));
  if (indexes.includes(-1)) return distinctOfExpressions(items, input, ctx, output);
  const rows = input.rowIndexes();
  const seen = new Set<unknown>();
  const keep: number[] = [];
  const values = new Array<Value>(indexes.length);
  for (let k = 0; k < rows.length; k++) {
    ctx.budget.work(1);
    const i = rows[k];
    for (let c = 0; c < indexes.length; c++) values[c] = input.columns[indexes[c]].get(i);
    const key = compositeKey(values);
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(i);
    }
  }
  return new Table(
    indexes.map((i, k) => ({ name: output[k]?.name ?? input.fields[i].name, type: input.fields[i].type })),
    indexes.map((i) => input.columns[i]),
    input.physicalLength,
    Uint32Array.from(keep),
  );
}

/** count: one row, one long column `Count`. */
export function count(input: Table, output: ColumnInfo[]): Table {
  return new Table(
    [{ name: output[0]?.name ?? 'Count', type: 'long' }],
    [new NumberColumn('long', Float64Array.of(input.length), null)],
    1,
  );
}
