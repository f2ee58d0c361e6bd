import { KqlRuntimeError } from '../../errors';
import type { SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { columnBuilder } from '../../storage/column-builder';
import type { KustoType } from '../../types';
import type { Value } from '../../values/value';
import type { Scope } from '../compiled';
import { compileScalar } from '../scalar';
import { decompose, fitLineStats, fromSeries, outlierScores, seriesStats, toSeries, type TrendKind } from './series-math';

/** Computes a function's several results from its argument values (absent optional arguments are undefined). */
type TupleImpl = (args: Value[], fail: (message: string) => never) => Value[];

function option(v: Value | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function trendOf(v: Value | undefined, fail: (message: string) => never): TrendKind {
  const trend = v === undefined || v === null || v === '' ? 'avg' : String(v);
  if (trend === 'avg' || trend === 'linefit' || trend === 'none') return trend;
  return fail(`trend must be 'avg', 'linefit' or 'none', not '${trend}'`);
}

function decomposition(series: number[], seasonality: Value | undefined, trend: Value | undefined, testPoints: Value | undefined, threshold: Value | undefined, fail: (message: string) => never) {
  return decompose(series, {
    seasonality: option(seasonality, -1),
    trend: trendOf(trend, fail),
    testPoints: option(testPoints, 0),
    seasonalityThreshold: option(threshold, 0.6),
  });
}

/**
 * The series functions that return several columns (`extend (a, b, c) = f(x)` or `extend f(x)`,
 * named by the analyser), in the documented column order.
 */
const TUPLE_FUNCTIONS: Record<string, TupleImpl> = {
  // (ad_flag, ad_score, baseline): series_decompose, then series_outliers of the residual, then the threshold.
  series_decompose_anomalies: ([x, threshold, seasonality, trend, testPoints, method, seasonalityThreshold], fail) => {
    const series = toSeries(x);
    if (!series) return [null, null, null];
    const parts = decomposition(series, seasonality, trend, testPoints, seasonalityThreshold, fail);
    const kind = method === undefined || method === null || method === '' ? 'ctukey' : String(method);
    if (kind !== 'ctukey' && kind !== 'tukey') return fail(`AD_method must be 'ctukey' or 'tukey', not '${kind}'`);
    const [low, high] = kind === 'tukey' ? [25, 75] : [10, 90];
    const learn = series.length - Math.max(0, Math.trunc(option(testPoints, 0)));
    const scores = outlierScores(parts.residual, low, high, null, learn);
    const k = option(threshold, 1.5);
    const flags = scores.map((s) => (s > k ? 1 : s < -k ? -1 : 0));
    return [flags, fromSeries(scores), fromSeries(parts.baseline)];
  },
  // (baseline, seasonal, trend, residual)
  series_decompose: ([x, seasonality, trend, testPoints, seasonalityThreshold], fail) => {
    const series = toSeries(x);
    if (!series) return [null, null, null, null];
    const parts = decomposition(series, seasonality, trend, testPoints, seasonalityThreshold, fail);
    return [fromSeries(parts.baseline), fromSeries(parts.seasonal), fromSeries(parts.trend), fromSeries(parts.residual)];
  },
  // (min, min_idx, max, max_idx, avg, stdev, variance)
  series_stats: ([x, ignoreNonFinite]) => {
    const series = toSeries(x);
    if (!series) return [null, null, null, null, null, null, null];
    const s = seriesStats(series, ignoreNonFinite === true);
    return [s.min, s.min_idx, s.max, s.max_idx, s.avg, s.stdev, s.variance];
  },
  // (rsquare, slope, variance, rvariance, interception, line_fit)
  series_fit_line: ([x]) => {
    const series = toSeries(x);
    if (!series) return [null, null, null, null, null, null];
    const fit = fitLineStats(series);
    return [fit.rsquare, fit.slope, fit.variance, fit.rvariance, fit.interception, fromSeries(fit.lineFit)];
  },
};

export function isTupleFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TUPLE_FUNCTIONS, name);
}

/**
 * Evaluates a call of a tuple-valued series function for the given rows into one column per result,
 * typed as given (the analyser's types for the columns the call produces).
 */
export function tupleColumns(call: SyntaxNode, scope: Scope, rows: Uint32Array, types: readonly KustoType[]): Column[] {
  const name = call.kind === 'FunctionCallExpression' ? (call.required('Name').symbol?.name ?? '') : '';
  const impl = TUPLE_FUNCTIONS[name];
  if (!impl) return scope.ctx.unsupported(call, name ? `the function ${name}() returning several columns` : 'assigning several names at once');
  const args = call.required('ArgumentList').list('Expressions').map((a) => compileScalar(a, scope));
  const fail = (message: string): never => {
    throw new KqlRuntimeError(`${name}(): ${message}`, scope.ctx.position(call));
  };
  const builders = types.map((t) => columnBuilder(t, rows.length));
  const budget = scope.ctx.budget;
  for (let k = 0; k < rows.length; k++) {
    const values = args.map((a) => a.eval(rows[k]));
    // A series is work in proportion to its length: long ones reach the time limit's checks sooner.
    budget.work(Array.isArray(values[0]) ? Math.max(1, values[0].length) : 1);
    const results = impl(values, fail);
    builders.forEach((b, c) => b.append(results[c] ?? null));
  }
  return builders.map((b) => b.build());
}
