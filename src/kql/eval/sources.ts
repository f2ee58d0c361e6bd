import type { ColumnInfo, SyntaxNode } from '../parser/syntax-node';
import { FILE_PROFILE_FUNCTION, WATCHLIST_FUNCTION } from '../parser/catalog';
import { fileProfile } from './file-profile';
import { EXCLUSION_WATCHLIST_COLUMNS } from '../schema';
import { columnBuilder } from '../storage/column-builder';
import { Table } from '../storage/table';
import { tableFromRows } from '../storage/table-builder';
import type { Value } from '../values/value';
import { fromDynamic } from '../values/convert';
import type { QueryContext } from './context';
import { compileScalar } from './scalar';
import { evaluateUserFunction, userFunction } from './user-functions';

/** A table with the given columns and no rows. */
export function emptyTable(columns: readonly ColumnInfo[]): Table {
  return Table.empty(
    columns.map((c) => ({ name: c.name, type: c.type })),
    columns.map((c) => columnBuilder(c.type, 0).build()),
  );
}

/** A database table by name; a known table the data does not contain is empty. */
export function namedTable(node: SyntaxNode, ctx: QueryContext): Table {
  const name = node.symbol?.name ?? node.text.trim();
  return ctx.db.table(name) ?? emptyTable(node.tableColumns ?? []);
}

/** `_GetWatchlist('alias')`: the per-query snapshot's rows for the alias (none for an unknown alias). */
export function watchlistTable(node: SyntaxNode, ctx: QueryContext): Table {
  const arg = node.required('ArgumentList').list('Expressions')[0];
  const alias = arg ? compileScalar(arg, { ctx, table: null }).eval(-1) : '';
  const rows = ctx.watchlists[String(alias ?? '')] ?? [];
  return tableFromRows({ name: WATCHLIST_FUNCTION, columns: EXCLUSION_WATCHLIST_COLUMNS }, rows);
}

/** True for the tabular functions the engine evaluates. */
export function isTabularFunction(name: string): boolean {
  return name === WATCHLIST_FUNCTION;
}

/** A tabular function call: _GetWatchlist() or a user-defined function; others are unsupported. */
export function tabularCall(node: SyntaxNode, ctx: QueryContext): Table {
  const name = node.required('Name').symbol?.name ?? node.required('Name').text.trim();
  if (name === WATCHLIST_FUNCTION) return watchlistTable(node, ctx);
  const declared = userFunction(node, ctx);
  if (declared) return evaluateUserFunction(declared, node, ctx, compileScalar, null);
  return ctx.unsupported(node, `the tabular function ${name}()`);
}

/** `V` naming a `let V = view() { ... }` (or any function without parameters): Kusto lets it be referenced without parentheses. */
export function functionReference(declaration: SyntaxNode, reference: SyntaxNode, ctx: QueryContext): Table {
  return evaluateUserFunction(declaration, reference, ctx, compileScalar, null);
}

/** datatable(A:string, B:long) [ 'x', 1, ... ]: values fill the columns row by row. */
export function dataTable(node: SyntaxNode, ctx: QueryContext): Table {
  const columns = node.tableColumns ?? [];
  const values = node.list('Values');
  if (columns.length === 0) return emptyTable(columns);
  const builders = columns.map((c) => columnBuilder(c.type, Math.ceil(values.length / columns.length)));
  values.forEach((v, k) => {
    const c = k % columns.length;
    const compiled = compileScalar(v, { ctx, table: null });
    let value: Value = compiled.eval(-1);
    if (compiled.type === 'dynamic' && columns[c].type !== 'dynamic') value = fromDynamic(value, columns[c].type);
    builders[c].append(value);
  });
  return new Table(
    columns.map((c) => ({ name: c.name, type: c.type })),
    builders.map((b) => b.build()),
    Math.floor(values.length / columns.length),
  );
}

/** print a = 1, 'x': one row of scalar expressions. */
export function print(node: SyntaxNode, ctx: QueryContext, output: readonly ColumnInfo[]): Table {
  const items = node.list('Expressions');
  const columns = items.map((item, k) => {
    const expr = item.kind === 'SimpleNamedExpression' ? item.required('Expression') : item;
    const c = compileScalar(expr, { ctx, table: null });
    const b = columnBuilder(output[k]?.type ?? c.type, 1);
    b.append(c.eval(-1));
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    1,
  );
}

const MAX_RANGE_ROWS = 10_000_000;

/** range x from a to b step s (numbers, datetimes or timespans; both ends inclusive). */
export function range(node: SyntaxNode, ctx: QueryContext): Table {
  const columns = node.tableColumns ?? [];
  const value = (name: string): Value => compileScalar(node.required(name), { ctx, table: null }).eval(-1);
  const from = value('From');
  const to = value('To');
  const step = value('Step');
  const type = columns[0]?.type ?? 'long';
  const b = columnBuilder(type, 16);
  let n = 0;
  if (from !== null && to !== null && step !== null) {
    if (typeof from === 'bigint') {
      const s = step as bigint;
      if (s === 0n) return ctx.unsupported(node, 'range with a zero step');
      for (let v = from; s > 0n ? v <= (to as bigint) : v >= (to as bigint); v += s) {
        if (++n > MAX_RANGE_ROWS) return ctx.unsupported(node, 'a range of more than 10,000,000 rows');
        if (n > ctx.budget.maxRows) ctx.budget.rows(n, node);
        b.append(v);
      }
    } else {
      const s = step as number;
      if (s === 0) return ctx.unsupported(node, 'range with a zero step');
      for (let v = from as number; s > 0 ? v <= (to as number) : v >= (to as number); v += s) {
        if (++n > MAX_RANGE_ROWS) return ctx.unsupported(node, 'a range of more than 10,000,000 rows');
        if (n > ctx.budget.maxRows) ctx.budget.rows(n, node);
        b.append(v);
      }
    }
  }
  return new Table(
    columns.map((c) => ({ name: c.name, type: c.type })),
    [b.build()],
    n,
  );
}

/** `T | invoke f(...)`: a user-defined function with T as its first argument, or Defender's FileProfile. */
export function invoke(op: SyntaxNode, input: Table, ctx: QueryContext, output: readonly ColumnInfo[]): Table {
  const call = op.required('Function');
  const declared = call.kind === 'FunctionCallExpression' ? userFunction(call, ctx) : null;
  if (declared) return evaluateUserFunction(declared, call, ctx, compileScalar, input);
  const name = call.kind === 'FunctionCallExpression' ? call.required('Name').text.trim() : call.text.trim();
  if (name === FILE_PROFILE_FUNCTION) return fileProfile(call, input, ctx, output);
  return ctx.unsupported(call, `invoke ${name}()`);
}
