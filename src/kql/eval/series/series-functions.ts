import type { Value } from '../../values/value';
import { type Compiled, derived } from '../compiled';
import type { FunctionImpl } from '../function-call';
import { fillLinear, fitLineStats, fromSeries, outlierScores, seriesStats, toSeries } from './series-math';

/** An optional argument's value for row i, or the fallback when absent. */
function arg(c: Compiled | undefined, i: number, fallback: Value): Value {
  if (!c) return fallback;
  const v = c.eval(i);
  return v === undefined ? fallback : v;
}

function numberOr(v: Value, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * The elements as numbers-or-null, where null marks a missing element: a null, or an element equal
 * to the placeholder when one is given (double(null), long(null) and int(null) all mean null).
 */
function withMissing(array: unknown[], placeholder: Value): Array<number | null> {
  return array.map((v) => (v === null || typeof v !== 'number' || (placeholder !== null && v === placeholder) ? null : v));
}

function fillDirection(forward: boolean): FunctionImpl {
  return ({ args }) =>
    derived('dynamic', args, (i) => {
      const array = args[0].eval(i);
      if (!Array.isArray(array)) return null;
      const values = withMissing(array, arg(args[1], i, null));
      const out = values.slice();
      let last: number | null = null;
      for (let k = 0; k < out.length; k++) {
        const at = forward ? k : out.length - 1 - k;
        if (out[at] === null) out[at] = last;
        else last = out[at];
      }
      // Elements that are not missing keep their original value (text, booleans...).
      return out.map((v, k) => (values[k] === null ? v : array[k]));
    });
}

/** Element-wise arithmetic or comparison of two series or a series and a scalar; a non-number or an absent element gives null. */
function elementWise(op: (a: number, b: number) => number | boolean): FunctionImpl {
  return ({ args }) =>
    derived('dynamic', args, (i) => {
      const a = args[0].eval(i);
      const b = args[1].eval(i);
      if (!Array.isArray(a) && !Array.isArray(b)) return null;
      const length = Math.max(Array.isArray(a) ? a.length : 0, Array.isArray(b) ? b.length : 0);
      const at = (v: Value, k: number): unknown => (Array.isArray(v) ? v[k] : v);
      return Array.from({ length }, (_, k) => {
        const x = at(a, k);
        const y = at(b, k);
        if (typeof x !== 'number' || typeof y !== 'number') return null;
        const r = op(x, y);
        return typeof r === 'number' && !Number.isFinite(r) ? null : r;
      });
    });
}

/** The series_* functions that return one value (see tuple-functions.ts for those returning several columns). */
export const SERIES_FUNCTIONS: Record<string, FunctionImpl> = {
  series_outliers: ({ args }) =>
    derived('dynamic', args, (i) => {
      const series = toSeries(args[0].eval(i));
      if (!series) return null;
      const kind = String(arg(args[1], i, 'ctukey'));
      const ignore = arg(args[2], i, null);
      const [low, high] = kind === 'tukey' ? [25, 75] : [numberOr(arg(args[3], i, 10), 10), numberOr(arg(args[4], i, 90), 90)];
      return outlierScores(series, low, high, typeof ignore === 'number' ? ignore : null);
    }),
  series_fill_forward: fillDirection(true),
  series_fill_backward: fillDirection(false),
  series_fill_const: ({ args }) =>
    derived('dynamic', args, (i) => {
      const array = args[0].eval(i);
      if (!Array.isArray(array)) return null;
      const constant = args[1].eval(i);
      const values = withMissing(array, arg(args[2], i, null));
      return array.map((v, k) => (values[k] === null ? constant : v));
    }),
  series_fill_linear: ({ args }) =>
    derived('dynamic', args, (i) => {
      const array = args[0].eval(i);
      if (!Array.isArray(array)) return null;
      const values = withMissing(array, arg(args[1], i, null));
      const constant = arg(args[3], i, 0);
      return fillLinear(values, arg(args[2], i, true) !== false, typeof constant === 'number' ? constant : null);
    }),
  series_stats_dynamic: ({ args }) =>
    derived('dynamic', args, (i) => {
      const series = toSeries(args[0].eval(i));
      return series ? { ...seriesStats(series, arg(args[1], i, false) === true) } : null;
    }),
  series_fit_line_dynamic: ({ args }) =>
    derived('dynamic', args, (i) => {
      const series = toSeries(args[0].eval(i));
      if (!series) return null;
      const fit = fitLineStats(series);
      return { rsquare: fit.rsquare, slope: fit.slope, variance: fit.variance, rvariance: fit.rvariance, interception: fit.interception, line_fit: fromSeries(fit.lineFit) };
    }),
  series_add: elementWise((a, b) => a + b),
  series_subtract: elementWise((a, b) => a - b),
  series_multiply: elementWise((a, b) => a * b),
  series_divide: elementWise((a, b) => a / b),
  series_greater: elementWise((a, b) => a > b),
  series_greater_equals: elementWise((a, b) => a >= b),
  series_less: elementWise((a, b) => a < b),
  series_less_equals: elementWise((a, b) => a <= b),
  series_equals: elementWise((a, b) => a === b),
  series_not_equals: elementWise((a, b) => a !== b),
  // array_iff(conditions, then, else): per element; a condition that is not a boolean gives null.
  array_iff: ({ args }) =>
    derived('dynamic', args, (i) => {
      const conditions = args[0].eval(i);
      if (!Array.isArray(conditions)) return null;
      const pick = (v: Value, k: number): unknown => (Array.isArray(v) ? (v[k] ?? null) : v);
      const yes = args[1].eval(i);
      const no = args[2].eval(i);
      return conditions.map((c, k) => (c === true || (typeof c === 'number' && c !== 0) ? pick(yes, k) : c === false || c === 0 ? pick(no, k) : null));
    }),
};
