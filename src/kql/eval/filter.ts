import type { SyntaxNode } from '../parser/syntax-node';
import { DateTimeColumn, NumberColumn } from '../storage/column';
import type { Table } from '../storage/table';
import { ticksToMsAndTicks } from '../values/time';
import { compare } from './arithmetic';
import type { Compiled, Scope } from './compiled';
import type { QueryBudget } from './budget';
import type { QueryContext } from './context';
import { liftOverDictionary } from './dictionary';
import { compileScalar } from './scalar';

/** `a and b and c` -> [a, b, c]: each conjunct narrows the selection in turn. */
function conjuncts(node: SyntaxNode): SyntaxNode[] {
  if (node.kind === 'AndExpression') return [...conjuncts(node.required('Left')), ...conjuncts(node.required('Right'))];
  if (node.kind === 'ParenthesizedExpression') return conjuncts(node.required('Expression'));
  return [node];
}

/** Keeps the rows for which `condition` is true (null counts as false), as a new selection. */
export function filterTable(condition: SyntaxNode, table: Table, ctx: QueryContext): Table {
  let rows = table.rowIndexes();
  const scope: Scope = { ctx, table };
  for (const part of conjuncts(condition)) {
    if (rows.length === 0) break;
    rows = selectRows(part, scope, rows);
  }
  return table.withRows(rows);
}

function selectRows(node: SyntaxNode, scope: Scope, rows: Uint32Array): Uint32Array {
  const compiled = compileScalar(node, scope);
  if (compiled.constant) return compiled.eval(-1) === true ? rows : new Uint32Array(0);

  const lift = liftOverDictionary(node, compiled, scope, rows.length);
  if (lift) {
    const keep = new Uint8Array(lift.lut.length);
    for (let c = 0; c < keep.length; c++) keep[c] = lift.lut[c] === true ? 1 : 0;
    const codes = lift.column.codes;
    const out = new Uint32Array(rows.length);
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (keep[codes[i]] === 1) out[n++] = i;
    }
    return out.slice(0, n);
  }

  const range = columnRangeKernel(node, scope, rows);
  if (range) return range;

  const f = compiled.eval;
  return collect(rows, (i) => f(i) === true, scope.ctx.budget);
}

/** The rows `keep` accepts; a general predicate can be slow per row, so the clock is watched. */
function collect(rows: Uint32Array, keep: (i: number) => boolean, budget: QueryBudget): Uint32Array {
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    budget.work(1);
    const i = rows[k];
    if (keep(i)) out[n++] = i;
  }
  return n === rows.length ? out : out.slice(0, n);
}

/** The column a bare column reference reads, if the node is one. */
function columnIndex(node: SyntaxNode, scope: Scope): number {
  if (node.kind !== 'NameReference' || node.symbol?.kind !== 'Column' || !scope.table) return -1;
  return scope.table.indexOf(node.symbol.name);
}

function constantValue(node: SyntaxNode, scope: Scope): Compiled | null {
  const c = compileScalar(node, scope);
  return c.constant ? c : null;
}

const FLIPPED: Record<string, string> = {
  LessThanExpression: 'GreaterThanExpression',
  LessThanOrEqualExpression: 'GreaterThanOrEqualExpression',
  GreaterThanExpression: 'LessThanExpression',
  GreaterThanOrEqualExpression: 'LessThanOrEqualExpression',
};

/**
 * `column between (c1 .. c2)` and `column <op> constant` over datetime and number columns, scanned
 * directly over the typed arrays (datetimes compare as exact (ms, sub-ms ticks) pairs, no BigInt).
 */
function columnRangeKernel(node: SyntaxNode, scope: Scope, rows: Uint32Array): Uint32Array | null {
  const table = scope.table!;
  if (node.kind === 'BetweenExpression') {
    const index = columnIndex(node.required('Left'), scope);
    if (index < 0) return null;
    const couple = node.required('Right');
    const lo = constantValue(couple.required('First'), scope);
    const hi = constantValue(couple.required('Second'), scope);
    if (!lo || !hi) return null;
    const column = table.columns[index];
    const low = lo.eval(-1);
    let high = hi.eval(-1);
    if (low === null || high === null) return new Uint32Array(0);
    if (column instanceof DateTimeColumn && lo.type === 'datetime') {
      if (hi.type === 'timespan') high = (low as bigint) + (high as bigint);
      if (hi.type !== 'datetime' && hi.type !== 'timespan') return null;
      return dateTimeRange(column, rows, low as bigint, high as bigint);
    }
    if (column instanceof NumberColumn && typeof low === 'number' && typeof high === 'number') {
      return numberTest(column, rows, (v) => v >= low && v <= high);
    }
    return null;
  }
  let kind = node.kind;
  if (!(kind in FLIPPED) && kind !== 'EqualExpression') return null;
  let index = columnIndex(node.required('Left'), scope);
  let other = node.required('Right');
  if (index < 0) {
    index = columnIndex(other, scope);
    other = node.required('Left');
    kind = FLIPPED[kind] ?? kind;
  }
  if (index < 0) return null;
  const c = constantValue(other, scope);
  if (!c) return null;
  const bound = c.eval(-1);
  const column = table.columns[index];
  if (bound === null) return new Uint32Array(0);
  if (column instanceof DateTimeColumn && c.type === 'datetime') {
    const t = bound as bigint;
    switch (kind) {
      case 'GreaterThanExpression':
        return dateTimeRange(column, rows, t + 1n, null);
      case 'GreaterThanOrEqualExpression':
        return dateTimeRange(column, rows, t, null);
      case 'LessThanExpression':
        return dateTimeRange(column, rows, null, t - 1n);
      case 'LessThanOrEqualExpression':
        return dateTimeRange(column, rows, null, t);
      default:
        return dateTimeRange(column, rows, t, t);
    }
  }
  if (column instanceof NumberColumn && typeof bound === 'number') {
    if (kind === 'EqualExpression') return numberTest(column, rows, (v) => v === bound);
    const test = compare(kind);
    return numberTest(column, rows, (v) => test(v, bound));
  }
  return null;
}

/** Rows whose datetime lies in [low, high] (either bound may be open); nulls never match. */
function dateTimeRange(column: DateTimeColumn, rows: Uint32Array, low: bigint | null, high: bigint | null): Uint32Array {
  const { ms, sub } = column;
  const lo = low === null ? { ms: -Infinity, sub: 0 } : ticksToMsAndTicks(low);
  const hi = high === null ? { ms: Infinity, sub: 9999 } : ticksToMsAndTicks(high);
  const loMs = lo.ms;
  const loSub = lo.sub;
  const hiMs = hi.ms;
  const hiSub = hi.sub;
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const m = ms[i];
    if ((m > loMs || (m === loMs && sub[i] >= loSub)) && (m < hiMs || (m === hiMs && sub[i] <= hiSub))) out[n++] = i;
  }
  return n === rows.length ? out : out.slice(0, n);
}

function numberTest(column: NumberColumn, rows: Uint32Array, test: (v: number) => boolean): Uint32Array {
  const { values, nulls } = column;
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if ((nulls === null || nulls[i] === 0) && test(values[i])) out[n++] = i;
  }
  return n === rows.length ? out : out.slice(0, n);
}
