import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { type Column, StringColumn } from '../../storage/column';
import { Table } from '../../storage/table';
import type { Value } from '../../values/value';
import { prepareAggregate } from '../aggregates';
import type { Grouping } from '../grouping';
import type { QueryBudget } from '../budget';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { evaluateColumn } from '../evaluate-column';
import { AGGREGATE_FUNCTIONS } from '../functions';
import { compositeKey } from '../row-keys';

const DIRECT_TABLE_LIMIT = 1 << 22;

/**
 * Assigns each row (logical index k) a group id, in first-seen order. Key columns are aligned with
 * the rows. All-string keys group on dictionary codes; other keys on composite value keys.
 */
function groupRows(keys: Column[], rowCount: number, budget: QueryBudget): { groupOf: Int32Array; firstRow: number[] } {
  const groupOf = new Int32Array(rowCount);
  const firstRow: number[] = [];
  if (keys.length === 0) return { groupOf, firstRow: rowCount > 0 ? [0] : [] };
  if (keys.every((k) => k instanceof StringColumn)) {
    const strings = keys as StringColumn[];
    let space = 1;
    for (const k of strings) space *= Math.max(1, k.dict.length);
    if (space <= Number.MAX_SAFE_INTEGER) {
      const direct = space <= DIRECT_TABLE_LIMIT ? new Int32Array(space).fill(-1) : null;
      const map = direct ? null : new Map<number, number>();
      for (let k = 0; k < rowCount; k++) {
        let code = 0;
        for (const key of strings) code = code * key.dict.length + key.codes[k];
        let group = direct ? direct[code] : (map!.get(code) ?? -1);
        if (group < 0) {
          group = firstRow.length;
          firstRow.push(k);
          if (direct) direct[code] = group;
          else map!.set(code, group);
        }
        groupOf[k] = group;
      }
      return { groupOf, firstRow };
    }
  }
  const map = new Map<unknown, number>();
  const values = new Array<Value>(keys.length);
  for (let k = 0; k < rowCount; k++) {
    budget.work(1);
    for (let c = 0; c < keys.length; c++) values[c] = keys[c].get(k);
    const key = compositeKey(values);
    let group = map.get(key);
    if (group === undefined) {
      group = firstRow.length;
      firstRow.push(k);
      map.set(key, group);
    }
    groupOf[k] = group;
  }
  return { groupOf, firstRow };
}

function unnamed(item: SyntaxNode): SyntaxNode {
  // `Name = agg(...)` and `(A, B) = arg_max(...)` (several names at once).
  return item.kind === 'SimpleNamedExpression' || item.kind === 'CompoundNamedExpression' ? item.required('Expression') : item;
}

/** The aggregate calls inside an expression over aggregates (`count() * 2`, `dcount(a) > 3`). */
function aggregateCalls(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  if (node.kind === 'FunctionCallExpression' && AGGREGATE_FUNCTIONS.has(node.required('Name').symbol?.name ?? '')) {
    out.push(node);
    return out;
  }
  for (const child of node.children()) if (!child.isToken) aggregateCalls(child, out);
  return out;
}

/**
 * An expression over aggregates: each aggregate is computed per group into a column of a per-group
 * table, then the expression is evaluated over that table with the calls reading those columns.
 */
function expressionOverAggregates(expr: SyntaxNode, scope: Scope, grouping: Grouping, byColumns: ReadonlySet<string>, type: ColumnInfo['type']): Column {
  const calls = aggregateCalls(expr);
  const columns: Column[] = [];
  const fields = calls.map((call, k) => {
    const name = call.required('Name').symbol?.name ?? '';
    const outputs: ColumnInfo[] = [{ name: `agg${k}`, type: call.scalarType ?? 'dynamic' }];
    const prepared = prepareAggregate({ name, node: call, args: call.required('ArgumentList').list('Expressions'), scope, outputs, byColumns });
    if (prepared.width !== 1) return scope.ctx.unsupported(call, `${name}() with several results inside an expression`);
    columns.push(prepared.run(grouping)[0]);
    return { name: outputs[0].name, type: outputs[0].type };
  });
  const perGroup = new Table(fields, columns, grouping.groupCount);
  const aggregates = new Map(calls.map((call, k) => [call.start, k]));
  return evaluateColumn(expr, { ctx: scope.ctx, table: perGroup, aggregates }, perGroup.rowIndexes(), type);
}

/**
 * summarize aggregates by keys: by-columns first, then aggregates, named and typed as the analyser
 * says. No rows with `by` gives no rows; no rows without `by` gives one row of empty aggregates.
 */
export function summarize(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const byItems = op.child('ByClause')?.list('Expressions') ?? [];
  const aggregateItems = op.list('Aggregates');
  const rows = input.rowIndexes();
  const scope: Scope = { ctx, table: input };

  const keyExprs = byItems.map(unnamed);
  const keyColumns = keyExprs.map((expr, c) => evaluateColumn(expr, scope, rows, output[c]?.type));
  const { groupOf, firstRow } = groupRows(keyColumns, rows.length, ctx.budget);
  const groupCount = byItems.length === 0 ? 1 : firstRow.length;
  ctx.budget.rows(groupCount, op);
  const grouping: Grouping = { rows, groupOf, groupCount };

  const byColumns = new Set(
    keyExprs.filter((e) => e.kind === 'NameReference' && e.symbol?.kind === 'Column').map((e) => e.symbol!.name),
  );
  const columns: Column[] = keyColumns.map((k) => k.gather(firstRow));
  let position = byItems.length;
  for (const item of aggregateItems) {
    const call = unnamed(item);
    const name = call.kind === 'FunctionCallExpression' ? (call.required('Name').symbol?.name ?? '') : '';
    if (!AGGREGATE_FUNCTIONS.has(name)) {
      if (aggregateCalls(call).length === 0) return ctx.unsupported(call, 'a summarize item without an aggregate');
      columns.push(expressionOverAggregates(call, scope, grouping, byColumns, output[position]?.type ?? 'dynamic'));
      position += 1;
      continue;
    }
    const prepared = prepareAggregate({
      name,
      node: call,
      args: call.required('ArgumentList').list('Expressions'),
      scope,
      outputs: output.slice(position),
      byColumns,
    });
    columns.push(...prepared.run(grouping));
    position += prepared.width;
  }
  if (position !== output.length) {
    return ctx.unsupported(op, `this summarize (it yields ${position} columns, the analyser expects ${output.length})`);
  }
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    groupCount,
  );
}
