import { KqlRuntimeError } from '../../errors';
import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { columnBuilder, columnFromValues } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import { TICKS_0001_TO_1970 } from '../../values/time';
import { emptyValue, toDynamic, type Value } from '../../values/value';
import { prepareAggregate } from '../aggregates';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { compositeKey } from '../row-keys';
import { compileScalar } from '../scalar';

/**
 * The documented make-series aggregates that the engine computes. The page allows only aggregates
 * with numeric results; percentile(), stdev() and variance() are documented too but not computed here.
 */
const SERIES_AGGREGATES: ReadonlySet<string> = new Set(['avg', 'avgif', 'count', 'countif', 'dcount', 'dcountif', 'max', 'maxif', 'min', 'minif', 'take_any', 'sum', 'sumif']);

/** For the pre-run check: the construct a make-series item is when the engine cannot run it, else null. */
export function unsupportedSeriesAggregate(item: SyntaxNode): string | null {
  const call = unnamed(item.required('Expression'));
  if (call.kind !== 'FunctionCallExpression') return 'a make-series item that is not an aggregate call';
  const name = call.required('Name').symbol?.name ?? call.required('Name').text.trim();
  return SERIES_AGGREGATES.has(name) ? null : `the aggregate ${name}() in make-series`;
}

/** Kusto's documented limit on the arrays make-series builds (2^20 values). */
const MAX_SERIES_LENGTH = 1048576;

/** Axis arithmetic: datetimes and timespans as bigint ticks, numbers as numbers. */
type Axis = number | bigint;

function floorDiv(a: Axis, b: Axis): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    let q = a / b;
    if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
    return Number(q);
  }
  return Math.floor(Number(a) / Number(b));
}

function plus(start: Axis, step: Axis, k: number): Axis {
  return typeof start === 'bigint' ? start + (step as bigint) * BigInt(k) : (start as number) + (step as number) * k;
}

/** bin(value, step): datetimes align to 0001-01-01 as .NET ticks (and our bin()) do, everything else to 0. */
function binned(value: Axis, step: Axis, type: KustoType): Axis {
  if (typeof value === 'bigint') {
    const origin = type === 'datetime' ? -TICKS_0001_TO_1970 : 0n;
    return plus(origin, step, floorDiv(value - origin, step));
  }
  return plus(0, step, floorDiv(value, step));
}

/** The axis as the clauses give it: a fixed start (or the first bin with data), a bin count (or up to the last bin with data). */
interface AxisPlan {
  step: Axis;
  /** The first element of the axis; null: the bin of the smallest axis value. */
  start: Axis | null;
  /** Exclusive end (main syntax), or null. */
  end: Axis | null;
  /** Inclusive last bin (`in range(start, stop, step)`), or null. */
  lastBin: Axis | null;
}

function constant(node: SyntaxNode, ctx: QueryContext, what: string, type: KustoType): Axis {
  const v = compileScalar(node, { ctx, table: null }).eval(-1);
  if (typeof v === 'bigint' && (type === 'datetime' || type === 'timespan')) return v;
  if (typeof v === 'number' && type !== 'datetime' && type !== 'timespan') return v;
  throw new KqlRuntimeError(`make-series: the ${what} must be a constant ${type === 'datetime' ? 'datetime' : type === 'timespan' ? 'timespan' : 'number'}`, ctx.position(node));
}

function axisPlan(op: SyntaxNode, axisType: KustoType, ctx: QueryContext): AxisPlan {
  const range = op.required('RangeClause');
  const stepType: KustoType = axisType === 'datetime' ? 'timespan' : axisType;
  const positive = (step: Axis, node: SyntaxNode): Axis => {
    if (step > 0) return step;
    throw new KqlRuntimeError('make-series: the step must be greater than zero', ctx.position(node));
  };
  if (range.kind === 'MakeSeriesInRangeClause') {
    // Alternate syntax: stop is inclusive and the bins are bin()'s, so start itself may not be an element.
    const [startNode, stopNode, stepNode] = range.required('Arguments').list('Expressions');
    const step = positive(constant(stepNode, ctx, 'step', stepType), stepNode);
    return {
      step,
      start: binned(constant(startNode, ctx, 'range start', axisType), step, axisType),
      end: null,
      lastBin: binned(constant(stopNode, ctx, 'range stop', axisType), step, axisType),
    };
  }
  const stepNode = range.required('MakeSeriesStepClause').required('Expression');
  const fromNode = range.child('MakeSeriesFromClause')?.required('Expression');
  const toNode = range.child('MakeSeriesToClause')?.required('Expression');
  return {
    step: positive(constant(stepNode, ctx, 'step', stepType), stepNode),
    start: fromNode ? constant(fromNode, ctx, "'from' value", axisType) : null,
    end: toNode ? constant(toNode, ctx, "'to' value", axisType) : null,
    lastBin: null,
  };
}

/** The number of axis elements from start when the end is known from the clauses, else null. */
function fixedLength(plan: AxisPlan, start: Axis): number | null {
  if (plan.lastBin !== null) {
    const last = typeof start === 'bigint' ? (plan.lastBin as bigint) - start : (plan.lastBin as number) - (start as number);
    return last < 0 ? 0 : floorDiv(last, plan.step) + 1;
  }
  if (plan.end === null) return null;
  // Elements are start + k·step strictly below end.
  const span = typeof start === 'bigint' ? (plan.end as bigint) - start : (plan.end as number) - (start as number);
  if (span <= 0) return 0;
  const whole = floorDiv(span, plan.step);
  return plus(start, plan.step, whole) < plan.end ? whole + 1 : whole;
}

function unnamed(item: SyntaxNode): SyntaxNode {
  return item.kind === 'SimpleNamedExpression' ? item.required('Expression') : item;
}

/**
 * make-series: per group of the `by` values, each aggregate over the rows of each axis bin, as an
 * array over the whole axis with `default` (0 unless given) where a bin has no rows; then the axis
 * itself as the last column. Rows outside the axis range are left out. No input rows gives no rows,
 * or with kind=nonempty one row of default values. Without `from`, the axis starts at the bin of the
 * smallest value and without `to` it ends with the bin of the largest, over all groups together
 * (the documentation says "in each series", but every row carries one axis array; we use one axis
 * for the whole result, as the service does).
 */
export function makeSeries(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const nonEmpty = op.list('Parameters').some((p) => p.child('Name')?.text.trim() === 'kind' && p.child('Expression')?.text.trim() === 'nonempty');
  const byItems = (op.child('ByClause')?.list('Expressions') ?? []).map(unnamed);
  const aggregateItems = op.list('Aggregates');
  const axisNode = op.required('OnClause').required('Expression');
  const scope: Scope = { ctx, table: input };
  const axis = compileScalar(axisNode, scope);
  const axisType = axis.type;
  if (axisType !== 'datetime' && axisType !== 'timespan' && axisType !== 'long' && axisType !== 'int' && axisType !== 'real' && axisType !== 'decimal') {
    return ctx.unsupported(axisNode, `make-series on a ${axisType} axis`);
  }
  const plan = axisPlan(op, axisType, ctx);

  // Axis values of the rows, and the start of the axis.
  const all = input.rowIndexes();
  const values: Array<Axis | null> = new Array(all.length);
  let smallest: Axis | null = null;
  for (let k = 0; k < all.length; k++) {
    ctx.budget.work(1);
    const v = axis.eval(all[k]) as Axis | null;
    values[k] = v;
    if (v !== null && (smallest === null || v < smallest)) smallest = v;
  }
  const start = plan.start ?? (smallest === null ? null : binned(smallest, plan.step, axisType));
  let length = start === null ? 0 : fixedLength(plan, start);

  // Rows inside the axis, each with its bin.
  const kept: number[] = [];
  const bins: number[] = [];
  if (start !== null) {
    for (let k = 0; k < all.length; k++) {
      const v = values[k];
      if (v === null) continue;
      const bin = floorDiv(typeof v === 'bigint' ? v - (start as bigint) : (v as number) - (start as number), plan.step);
      if (bin < 0 || (length !== null && bin >= length)) continue;
      kept.push(all[k]);
      bins.push(bin);
    }
  }
  if (length === null) length = bins.reduce((m, b) => Math.max(m, b + 1), 0);
  if (length > MAX_SERIES_LENGTH) {
    throw new KqlRuntimeError(`make-series would build arrays of ${length.toLocaleString('en-US')} values; the limit is ${MAX_SERIES_LENGTH.toLocaleString('en-US')} (2^20)`, ctx.position(op));
  }
  if (kept.length === 0 && !nonEmpty) return emptyResult(output);

  // Groups of the by values (first-seen order), then cells of (group, bin).
  const keyCompiled = byItems.map((e) => compileScalar(e, scope));
  const groupIndex = new Map<unknown, number>();
  const groupFirstRow: number[] = [];
  const cellIndex = new Map<number, number>();
  const cellGroup: number[] = [];
  const cellBin: number[] = [];
  const cellOf = new Int32Array(kept.length);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k];
    const key = compositeKey(keyCompiled.map((c) => c.eval(i)));
    let group = groupIndex.get(key);
    if (group === undefined) {
      group = groupFirstRow.length;
      groupIndex.set(key, group);
      groupFirstRow.push(i);
    }
    const cellKey = group * length + bins[k];
    let cell = cellIndex.get(cellKey);
    if (cell === undefined) {
      cell = cellGroup.length;
      cellIndex.set(cellKey, cell);
      cellGroup.push(group);
      cellBin.push(bins[k]);
    }
    cellOf[k] = cell;
  }
  const groupCount = kept.length === 0 ? 1 : groupFirstRow.length;
  ctx.budget.rows(groupCount, op);
  ctx.budget.rows(groupCount * length * Math.max(1, aggregateItems.length), op, 'values');

  const columns: Column[] = byItems.map((e, c) => {
    const type = output[c]?.type ?? keyCompiled[c].type;
    if (kept.length === 0) return columnFromValues(type, [emptyValue(type)]);
    const b = columnBuilder(type, groupCount);
    for (const i of groupFirstRow) b.append(keyCompiled[c].eval(i));
    return b.build();
  });
  const grouping = { rows: Uint32Array.from(kept), groupOf: cellOf, groupCount: cellGroup.length };
  aggregateItems.forEach((item, a) => {
    const named = item.required('Expression');
    const call = unnamed(named);
    const name = call.kind === 'FunctionCallExpression' ? (call.required('Name').symbol?.name ?? '') : '';
    if (call.kind !== 'FunctionCallExpression') return ctx.unsupported(call, 'a make-series item that is not an aggregate call');
    const type = call.scalarType ?? 'real';
    const defaultNode = item.child('DefaultExpression')?.child('Expression');
    const defaultCompiled = defaultNode ? compileScalar(defaultNode, { ctx, table: null }) : null;
    const fill = defaultCompiled ? toDynamic(defaultCompiled.eval(-1), defaultCompiled.type) : 0;
    const prepared = prepareAggregate({ name, node: call, args: call.required('ArgumentList').list('Expressions'), scope, outputs: [{ name: `series${a}`, type }], byColumns: new Set() });
    if (prepared.width !== 1) return ctx.unsupported(call, `${name}() in make-series`);
    const perCell = grouping.groupCount > 0 ? prepared.run(grouping)[0] : null;
    const arrays: unknown[][] = Array.from({ length: groupCount }, () => new Array<unknown>(length).fill(fill));
    for (let cell = 0; cell < cellGroup.length; cell++) {
      const v = perCell!.get(cell);
      arrays[cellGroup[cell]][cellBin[cell]] = typeof v === 'number' && !Number.isFinite(v) ? null : toDynamic(v, type);
    }
    columns.push(columnFromValues('dynamic', arrays as Value[]));
  });
  const axisArray = start === null ? [] : Array.from({ length }, (_, k) => toDynamic(plus(start, plan.step, k), axisType));
  columns.push(columnFromValues('dynamic', Array.from({ length: groupCount }, () => axisArray)));
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    groupCount,
  );
}

function emptyResult(output: ColumnInfo[]): Table {
  const fields = output.map((c) => ({ name: c.name, type: c.type }));
  return new Table(
    fields,
    fields.map((f) => columnBuilder(f.type, 0).build()),
    0,
  );
}
