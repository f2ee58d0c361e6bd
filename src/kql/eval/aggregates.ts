import type { ColumnInfo, SyntaxNode } from '../parser/syntax-node';
import { type Column, DateTimeColumn, NumberColumn } from '../storage/column';
import { columnBuilder, columnFromValues } from '../storage/column-builder';
import type { KustoType } from '../types';
import { compareValues, keyOf, toDynamic, type Value } from '../values/value';
import type { Compiled, Scope } from './compiled';
import type { Grouping } from './grouping';
import { collectColumn } from './collect-fast';
import { compileScalar } from './scalar';

/** Computes one aggregate's output columns (one value per group). */
export type Aggregator = (g: Grouping) => Column[];

/** An aggregate call ready to run, and how many output columns it produces. */
export interface PreparedAggregate {
  width: number;
  run: Aggregator;
}

interface AggregateCall {
  name: string;
  node: SyntaxNode;
  args: SyntaxNode[];
  scope: Scope;
  /** The output columns of the whole summarize from this aggregate's first column on. */
  outputs: ColumnInfo[];
  /** Input columns named by bare by-expressions (excluded from arg_max(..., *)). */
  byColumns: ReadonlySet<string>;
}

const MAX_SET_SIZE = 1048576;

/**
 * Prepares `name(args)` for summarize. Output types come from the analyser; empty groups give
 * count/sum 0, make_set/make_list [], everything else null.
 */
export function prepareAggregate(call: AggregateCall): PreparedAggregate {
  const { name, args, scope } = call;
  const compile = (n: SyntaxNode): Compiled => compileScalar(n, scope);
  const type = call.outputs[0]?.type ?? 'dynamic';
  const one = (run: Aggregator): PreparedAggregate => ({ width: 1, run });
  switch (name) {
    case 'count':
      return one((g) => [countColumn(g, null)]);
    case 'countif':
      return one((g) => [countColumn(g, compile(args[0]))]);
    case 'dcount':
      return one(dcount(compile(args[0]), null));
    case 'dcountif':
    case 'count_distinctif':
      return one(dcount(compile(args[0]), compile(args[1])));
    case 'count_distinct': // exact, as our dcount is
      return one(dcount(compile(args[0]), null));
    case 'sum':
      return one(sum(compile(args[0]), null, type));
    case 'sumif':
      return one(sum(compile(args[0]), compile(args[1]), type));
    case 'avg':
      return one(avg(compile(args[0]), null));
    case 'avgif':
      return one(avg(compile(args[0]), compile(args[1])));
    case 'min':
    case 'max':
      return one(extreme(compile(args[0]), null, name === 'max', type));
    case 'minif':
    case 'maxif':
      return one(extreme(compile(args[0]), compile(args[1]), name === 'maxif', type));
    case 'make_set':
    case 'makeset':
    case 'make_list':
    case 'makelist': {
      const limit = args[1] ? constantNumber(compile(args[1])) : name.startsWith('makes') || name === 'makelist' ? 128 : MAX_SET_SIZE;
      return one(collect(call, compile(args[0]), null, name.includes('set'), limit));
    }
    case 'make_set_if':
    case 'make_list_if': {
      const limit = args[2] ? constantNumber(compile(args[2])) : MAX_SET_SIZE;
      return one(collect(call, compile(args[0]), compile(args[1]), name === 'make_set_if', limit));
    }
    case 'take_any':
    case 'any':
      return takeAny(call);
    case 'arg_max':
    case 'arg_min':
    case 'argmax': // deprecated aliases
    case 'argmin':
      return argExtreme(call, name === 'arg_max' || name === 'argmax');
    default:
      return scope.ctx.unsupported(call.node, `the aggregate ${name}()`);
  }
}

function constantNumber(c: Compiled): number {
  const v = c.eval(-1);
  return typeof v === 'number' && v > 0 ? Math.min(v, MAX_SET_SIZE) : MAX_SET_SIZE;
}

/** Calls fn(k, i, group) for each row whose predicate (if any) is true. */
function forEachRow(g: Grouping, predicate: Compiled | null, fn: (i: number, group: number) => void): void {
  const { rows, groupOf } = g;
  const p = predicate?.eval;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (p && p(i) !== true) continue;
    fn(i, groupOf[k]);
  }
}

function countColumn(g: Grouping, predicate: Compiled | null): Column {
  const counts = new Float64Array(g.groupCount);
  if (!predicate) for (let k = 0; k < g.groupOf.length; k++) counts[g.groupOf[k]]++;
  else forEachRow(g, predicate, (_i, group) => counts[group]++);
  return new NumberColumn('long', counts, null);
}

function dcount(expr: Compiled, predicate: Compiled | null): Aggregator {
  return (g) => {
    const sets = Array.from({ length: g.groupCount }, () => new Set<unknown>());
    const f = expr.eval;
    forEachRow(g, predicate, (i, group) => {
      const v = f(i);
      if (v !== null) sets[group].add(keyOf(v));
    });
    return [new NumberColumn('long', Float64Array.from(sets, (s) => s.size), null)];
  };
}

function sum(expr: Compiled, predicate: Compiled | null, type: KustoType): Aggregator {
  return (g) => {
    const f = expr.eval;
    if (expr.type === 'timespan') {
      const totals = new Array<bigint>(g.groupCount).fill(0n);
      forEachRow(g, predicate, (i, group) => {
        const v = f(i);
        if (v !== null) totals[group] += v as bigint;
      });
      return [columnFromValues('timespan', totals)];
    }
    const totals = new Float64Array(g.groupCount);
    forEachRow(g, predicate, (i, group) => {
      const v = f(i);
      if (v !== null) totals[group] += Number(v);
    });
    return [new NumberColumn(type, totals, null)];
  };
}

function avg(expr: Compiled, predicate: Compiled | null): Aggregator {
  return (g) => {
    const f = expr.eval;
    const totals = new Float64Array(g.groupCount);
    const counts = new Float64Array(g.groupCount);
    forEachRow(g, predicate, (i, group) => {
      const v = f(i);
      if (v !== null) {
        totals[group] += Number(v);
        counts[group]++;
      }
    });
    // Over no values avg is NaN in Kusto (0 / 0), not null.
    return [new NumberColumn('real', Float64Array.from(totals, (t, k) => t / counts[k]), null)];
  };
}

/** min/max; over a datetime column it compares (ms, sub-ms) pairs without BigInt. */
function extreme(expr: Compiled, predicate: Compiled | null, isMax: boolean, type: KustoType): Aggregator {
  return (g) => {
    const best = bestRows(g, expr, predicate, isMax);
    const f = expr.eval;
    return [columnFromValues(type, Array.from(best, (i) => (i < 0 ? null : f(i))))];
  };
}

/** Per group, the physical row with the smallest/largest non-null value (first one on ties), or -1. */
function bestRows(g: Grouping, expr: Compiled, predicate: Compiled | null, isMax: boolean): Int32Array {
  const best = new Int32Array(g.groupCount).fill(-1);
  const table = predicate ? null : dateTimeSource(expr);
  if (table) {
    const { ms, sub } = table;
    const { rows, groupOf } = g;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      const m = ms[i];
      if (Number.isNaN(m)) continue;
      const group = groupOf[k];
      const b = best[group];
      if (b < 0) best[group] = i;
      else {
        const bm = ms[b];
        const better = isMax ? m > bm || (m === bm && sub[i] > sub[b]) : m < bm || (m === bm && sub[i] < sub[b]);
        if (better) best[group] = i;
      }
    }
    return best;
  }
  const f = expr.eval;
  const values = new Array<Value>(g.groupCount).fill(null);
  forEachRow(g, predicate, (i, group) => {
    const v = f(i);
    if (v === null) return;
    const current = values[group];
    if (current === null || (isMax ? compareValues(v, current) > 0 : compareValues(v, current) < 0)) {
      values[group] = v;
      best[group] = i;
    }
  });
  return best;
}

/** The datetime column when the expression is a bare reference to one. */
function dateTimeSource(expr: Compiled): DateTimeColumn | null {
  return expr.source instanceof DateTimeColumn ? expr.source : null;
}

/**
 * make_set / make_list: values in first-seen order, nulls ignored, dynamic arrays contribute their
 * elements. The values of all groups together count against the query's row budget.
 */
function collect(call: AggregateCall, expr: Compiled, predicate: Compiled | null, distinct: boolean, limit: number): Aggregator {
  const budget = call.scope.ctx.budget;
  return (g) => {
    const fast = predicate ? null : collectColumn(expr.source, g, distinct, limit);
    if (fast) {
      budget.rows(fast.reduce((n, list) => n + list.length, 0), call.node, 'values');
      return [columnFromValues('dynamic', fast)];
    }
    const f = expr.eval;
    const t = expr.type;
    const lists: unknown[][] = Array.from({ length: g.groupCount }, () => []);
    const seen = distinct ? Array.from({ length: g.groupCount }, () => new Set<unknown>()) : null;
    let total = 0;
    const add = (group: number, v: unknown): void => {
      const list = lists[group];
      if (v === null || list.length >= limit) return;
      if (seen) {
        const key = keyOf(v as Value);
        if (seen[group].has(key)) return;
        seen[group].add(key);
      }
      if (++total > budget.maxRows) budget.rows(total, call.node, 'values');
      list.push(v);
    };
    forEachRow(g, predicate, (i, group) => {
      const v = f(i);
      if (t === 'dynamic' && Array.isArray(v)) for (const item of v) add(group, item);
      else add(group, toDynamic(v, t));
    });
    return [columnFromValues('dynamic', lists)];
  };
}

/** Every input column except bare by-columns and `except`, as compiled reads (for `*` arguments). */
function starColumns(call: AggregateCall, except?: string): Compiled[] {
  const table = call.scope.table!;
  const out: Compiled[] = [];
  table.fields.forEach((f, index) => {
    if (!call.byColumns.has(f.name) && f.name !== except) {
      out.push({ type: f.type, eval: (i) => table.columns[index].get(i), constant: false, columns: new Set([index]) });
    }
  });
  return out;
}

/**
 * take_any(expr, ...) / take_any(*): the values of one row per group. With a single expression it
 * takes a row where that value is neither null nor empty when there is one (take_any remarks).
 */
function takeAny(call: AggregateCall): PreparedAggregate {
  const { args, scope } = call;
  const exprs = args.flatMap((a) => (a.kind === 'StarExpression' ? starColumns(call) : [compileScalar(a, scope)]));
  const preferNonEmpty = exprs.length === 1 ? exprs[0].eval : null;
  return {
    width: exprs.length,
    run: (g) => {
      const first = new Int32Array(g.groupCount).fill(-1);
      const settled = preferNonEmpty ? new Uint8Array(g.groupCount) : null;
      forEachRow(g, null, (i, group) => {
        if (settled) {
          if (settled[group]) return;
          const v = preferNonEmpty!(i);
          if (v !== null && v !== '') settled[group] = 1;
          else if (first[group] >= 0) return;
          first[group] = i;
        } else if (first[group] < 0) first[group] = i;
      });
      return exprs.map((e, c) => {
        const b = columnBuilder(call.outputs[c]?.type ?? e.type, g.groupCount);
        for (const i of first) b.append(i < 0 ? null : e.eval(i));
        return b.build();
      });
    },
  };
}

/**
 * arg_max(expr, cols...) / arg_min: per group, expr's extreme value and the listed columns of that
 * row. `*` means all input columns except bare by-columns and the column expr itself names.
 */
function argExtreme(call: AggregateCall, isMax: boolean): PreparedAggregate {
  const { args, scope } = call;
  const expr = compileScalar(args[0], scope);
  const exprColumn = args[0].kind === 'NameReference' ? args[0].symbol?.name : undefined;
  const extra: Compiled[] = args
    .slice(1)
    .flatMap((a) => (a.kind === 'StarExpression' ? starColumns(call, exprColumn) : [compileScalar(a, scope)]));
  const all = [expr, ...extra];
  return {
    width: all.length,
    run: (g) => {
      const best = bestRows(g, expr, null, isMax);
      return all.map((e, c) => {
        const b = columnBuilder(call.outputs[c]?.type ?? e.type, g.groupCount);
        for (const i of best) b.append(i < 0 ? null : e.eval(i));
        return b.build();
      });
    },
  };
}
