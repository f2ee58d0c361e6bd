import { KqlRuntimeError } from '../../errors';
import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import { toKustoString } from '../../values/convert';
import { keyOf, type Value } from '../../values/value';
import { prepareAggregate } from '../aggregates';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { AGGREGATE_FUNCTIONS } from '../functions';
import type { Grouping } from '../grouping';
import { compositeKey } from '../row-keys';
import { convertValue } from '../stack-sources';

function columnName(node: SyntaxNode): string {
  return node.symbol?.name ?? node.text.trim();
}

/** The names of the columns an expression reads. */
function columnsRead(node: SyntaxNode, out = new Set<string>()): Set<string> {
  if (node.kind === 'NameReference' && node.symbol?.kind === 'Column') out.add(node.symbol.name);
  for (const child of node.children()) if (!child.isToken) columnsRead(child, out);
  return out;
}

/** First-seen dense ids of the keys `keyAt(k)` gives for k in 0..n-1. */
function denseIds(n: number, keyAt: (k: number) => unknown, ctx: QueryContext): { ids: Int32Array; first: number[] } {
  const ids = new Int32Array(n);
  const first: number[] = [];
  const seen = new Map<unknown, number>();
  for (let k = 0; k < n; k++) {
    ctx.budget.work(1);
    const key = keyAt(k);
    let id = seen.get(key);
    if (id === undefined) {
      id = first.length;
      first.push(k);
      seen.set(key, id);
    }
    ids[k] = id;
  }
  return { ids, first };
}

/**
 * `T | evaluate pivot(PivotColumn [, aggregation()] [, Column1, ...]) [: (Schema)]` (pivot plugin
 * page): one row per combination of the other columns (by default all but the pivoted and the
 * aggregated ones), one column per distinct value of PivotColumn holding the aggregation (count() by
 * default) of that row's rows with that value; a combination with no such rows holds the aggregation
 * of no rows (0 for count and sum). Its columns come from the data, so the analyser knows only the
 * fixed ones; with a schema, the output is its columns.
 */
export function pivot(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const call = op.required('FunctionCall');
  const args = call.required('ArgumentList').list('Expressions');
  const pivotNode = args[0];
  if (pivotNode?.kind !== 'NameReference' || input.indexOf(columnName(pivotNode)) < 0) return ctx.unsupported(call, 'pivot of something other than a column');
  const aggregation = args[1]?.kind === 'FunctionCallExpression' && AGGREGATE_FUNCTIONS.has(args[1].required('Name').symbol?.name ?? '') ? args[1] : null;
  const named = args.slice(aggregation ? 2 : 1).map(columnName);
  const pivotName = columnName(pivotNode);
  const aggregated = aggregation ? columnsRead(aggregation) : new Set<string>();
  const groupNames = named.length > 0 ? named : input.fields.map((f) => f.name).filter((name) => name !== pivotName && !aggregated.has(name));
  const groupIndexes = groupNames.map((name) => input.indexOf(name));
  if (groupIndexes.some((i) => i < 0)) return ctx.unsupported(call, 'pivot by something other than columns');

  const rows = input.rowIndexes();
  const pivotIndex = input.indexOf(pivotName);
  const pivotColumn = input.columns[pivotIndex];
  const values = new Array<Value>(groupIndexes.length);
  const groups = denseIds(rows.length, (k) => {
    for (let c = 0; c < groupIndexes.length; c++) values[c] = input.columns[groupIndexes[c]].get(rows[k]);
    return compositeKey(values);
  }, ctx);
  const pivots = denseIds(rows.length, (k) => keyOf(pivotColumn.get(rows[k])), ctx);
  const pivotCount = pivots.first.length;
  ctx.budget.rows(groups.first.length * Math.max(1, pivotCount), op);
  const cells = denseIds(rows.length, (k) => groups.ids[k] * pivotCount + pivots.ids[k], ctx);

  const type: KustoType = aggregation?.scalarType ?? 'long';
  const scope: Scope = { ctx, table: input };
  const prepared = prepareAggregate({
    name: aggregation ? (aggregation.required('Name').symbol?.name ?? '') : 'count',
    node: aggregation ?? call,
    args: aggregation ? aggregation.required('ArgumentList').list('Expressions') : [],
    scope,
    outputs: [{ name: 'value', type }],
    byColumns: new Set(groupNames),
  });
  const grouping: Grouping = { rows, groupOf: cells.ids, groupCount: cells.first.length };
  const cellValues = prepared.run(grouping)[0];
  const noRows = prepared.run({ rows: new Uint32Array(0), groupOf: new Int32Array(0), groupCount: 1 })[0].get(0);
  const cellOf = new Map<number, number>(cells.first.map((k, id) => [groups.ids[k] * pivotCount + pivots.ids[k], id]));

  const pivotNames = pivots.first.map((k) => toKustoString(pivotColumn.get(rows[k]), input.fields[pivotIndex].type));
  const clash = pivotNames.find((name) => groupNames.includes(name));
  if (clash !== undefined) throw new KqlRuntimeError(`pivot: the value ${clash} of ${pivotName} is also the name of a column it keeps`, ctx.position(call));
  const groupRows = Uint32Array.from(groups.first, (k) => rows[k]);
  const fields: ColumnInfo[] = [...groupIndexes.map((i) => ({ ...input.fields[i] })), ...pivotNames.map((name) => ({ name, type }))];
  const columns: Column[] = [
    ...groupIndexes.map((i) => input.columns[i].gather(groupRows)),
    ...pivotNames.map((_, p) => {
      const b = columnBuilder(type, groupRows.length);
      for (let g = 0; g < groupRows.length; g++) {
        const cell = cellOf.get(g * pivotCount + p);
        b.append(cell === undefined ? noRows : cellValues.get(cell));
      }
      return b.build();
    }),
  ];
  const table = new Table(fields, columns, groupRows.length);
  return op.child('Schema') ? toSchema(table, output, call, ctx) : table;
}

/**
 * The pivot as its declared output schema: the declared columns, converted to the declared types;
 * columns the data yields beyond them are dropped (as the page's example shows), and a declared column
 * the data does not yield is an error ("An error is raised if the run-time schema doesn't match").
 */
function toSchema(table: Table, output: ColumnInfo[], call: SyntaxNode, ctx: QueryContext): Table {
  const columns = output.map((out) => {
    const index = table.indexOf(out.name);
    if (index < 0) throw new KqlRuntimeError(`pivot: the output schema names the column ${out.name}, which the data does not produce`, ctx.position(call));
    const column = table.columns[index];
    const from = table.fields[index].type;
    if (from === out.type) return column;
    const b = columnBuilder(out.type, table.length);
    for (let k = 0; k < table.length; k++) b.append(convertValue(column.get(k), from, out.type));
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    table.length,
  );
}
