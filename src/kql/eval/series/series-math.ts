/**
 * The numeric algorithms behind Kusto's series_* functions, over plain number arrays where NaN stands
 * for a missing element (null in the dynamic array). Where the Kusto documentation describes the
 * algorithm we follow it; where it is silent, the choice is written here and in the conformance tests
 * (test/kql/series-functions.test.ts).
 */

/** A dynamic value read as a series: numbers kept, anything else (null, text) missing (NaN); null when not an array. */
export function toSeries(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN));
}

/** A series back to a dynamic array: missing and non-finite elements become null (JSON has no NaN). */
export function fromSeries(values: readonly number[]): Array<number | null> {
  return values.map((v) => (Number.isFinite(v) ? v : null));
}

/** The p-th percentile (0..100) of sorted finite values, interpolating linearly between closest ranks. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export interface Line {
  slope: number;
  interception: number;
}

/**
 * Least-squares line y = slope * x + interception over x = 1..n (series_fit_line's documented
 * example: its line_fit starts at interception + slope). Missing elements are left out of the fit.
 */
export function fitLine(y: readonly number[], count: number = y.length): Line {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < count; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) continue;
    const x = i + 1;
    n++;
    sx += x;
    sy += v;
    sxx += x * x;
    sxy += x * v;
  }
  if (n === 0) return { slope: 0, interception: 0 };
  const denominator = n * sxx - sx * sx;
  const slope = denominator === 0 ? 0 : (n * sxy - sx * sy) / denominator;
  return { slope, interception: (sy - slope * sx) / n };
}

export interface LineFit extends Line {
  rsquare: number;
  variance: number;
  rvariance: number;
  lineFit: number[];
}

/** series_fit_line: the line, r², the sample variance of the input and of its residuals. */
export function fitLineStats(y: readonly number[]): LineFit {
  const line = fitLine(y);
  const lineFit = y.map((_, i) => line.interception + line.slope * (i + 1));
  const present = y.map((v, i) => [v, lineFit[i]]).filter(([v]) => Number.isFinite(v));
  const mean = present.reduce((s, [v]) => s + v, 0) / present.length;
  const total = present.reduce((s, [v]) => s + (v - mean) ** 2, 0);
  const residual = present.reduce((s, [v, f]) => s + (v - f) ** 2, 0);
  const dof = present.length - 1;
  return {
    ...line,
    rsquare: total === 0 ? 1 : 1 - residual / total,
    variance: dof > 0 ? total / dof : 0,
    rvariance: dof > 0 ? residual / dof : 0,
    lineFit,
  };
}

export interface SeriesStats {
  min: number | null;
  min_idx: number | null;
  max: number | null;
  max_idx: number | null;
  avg: number | null;
  stdev: number | null;
  variance: number | null;
  sum: number | null;
  len: number;
}

/**
 * series_stats / series_stats_dynamic: min, max (first positions), average, sample variance and
 * stdev. A missing or non-finite element makes every statistic null unless ignoreNonFinite.
 */
export function seriesStats(y: readonly number[], ignoreNonFinite: boolean): SeriesStats {
  const empty: SeriesStats = { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null, sum: null, len: y.length };
  if (!ignoreNonFinite && y.some((v) => !Number.isFinite(v))) return empty;
  let n = 0;
  let sum = 0;
  let minIdx = -1;
  let maxIdx = -1;
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    n++;
    sum += v;
    if (minIdx < 0 || v < y[minIdx]) minIdx = i;
    if (maxIdx < 0 || v > y[maxIdx]) maxIdx = i;
  });
  if (n === 0) return empty;
  const avg = sum / n;
  let squares = 0;
  for (const v of y) if (Number.isFinite(v)) squares += (v - avg) ** 2;
  const variance = n > 1 ? squares / (n - 1) : 0;
  return { min: y[minIdx], min_idx: minIdx, max: y[maxIdx], max_idx: maxIdx, avg, stdev: Math.sqrt(variance), variance, sum, len: y.length };
}

/**
 * Tukey's fence score (series_outliers): above the high percentile, (x - high) / (high - low); below
 * the low one, (x - low) / (high - low); 0 in between and for missing or ignored elements. A score
 * above k (1.5) is exactly a point beyond Tukey's fence high + k·(high − low). `tukey` uses the 25th
 * and 75th percentiles, `ctukey` the given ones (default 10th and 90th). The documentation does not
 * say how percentiles interpolate (we interpolate linearly) nor what happens when high == low (we
 * divide by a tiny range, so any departure from a flat series scores far beyond the fence).
 */
export function outlierScores(y: readonly number[], low: number, high: number, ignore: number | null = null, learnCount: number = y.length): number[] {
  const usable = (v: number): boolean => Number.isFinite(v) && (ignore === null || v !== ignore);
  const sorted = y.slice(0, learnCount).filter(usable).sort((a, b) => a - b);
  if (sorted.length === 0) return y.map(() => 0);
  const lo = percentileOfSorted(sorted, low);
  const hi = percentileOfSorted(sorted, high);
  const range = hi - lo > 0 ? hi - lo : 1e-9 * Math.max(1, Math.abs(hi));
  return y.map((v) => {
    if (!usable(v)) return 0;
    if (v > hi) return (v - hi) / range;
    if (v < lo) return (v - lo) / range;
    return 0;
  });
}

/**
 * The most significant period of a series, in bins, with its score in [0, 1], or null. Kusto's
 * series_periods_detect algorithm is not documented; ours: remove the least-squares line, take the
 * autocorrelation r(p) = Σ d[i]·d[i+p] / Σ d[i]² for p from 4 to half the length (the documented
 * bounds), and return the lag with the highest r among its local maxima. The 1/n normalisation
 * weighs long lags down, so a multiple of the true period scores below the period itself.
 */
export function detectPeriod(y: readonly number[], minPeriod = 4, maxPeriod = Math.floor(y.length / 2)): { period: number; score: number } | null {
  const n = y.length;
  const first = Math.max(4, Math.ceil(minPeriod));
  const last = Math.min(Math.floor(n / 2), Math.floor(maxPeriod));
  if (last < first) return null;
  const line = fitLine(y);
  const d = y.map((v, i) => (Number.isFinite(v) ? v - (line.interception + line.slope * (i + 1)) : 0));
  const sums = lagSums(d, Math.min(n, last + 2));
  const energy = sums[0];
  if (energy === 0) return null;
  const r = (lag: number): number => (lag < sums.length ? sums[lag] / energy : -Infinity);
  let best: { period: number; score: number } | null = null;
  let previous = r(first - 1);
  let current = r(first);
  for (let p = first; p <= last; p++) {
    const next = p + 1 < n ? r(p + 1) : -Infinity;
    if (current >= previous && current >= next && (!best || current > best.score)) best = { period: p, score: current };
    previous = current;
    current = next;
  }
  return best && best.score > 0 ? { period: best.period, score: Math.min(1, best.score) } : null;
}

/** In-place radix-2 FFT of (re, im); the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = ((inverse ? 2 : -2) * Math.PI) / size;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < size / 2; k++) {
        const a = start + k;
        const b = a + size / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}

/** Σ d[i]·d[i+lag] for lag 0..count-1: directly for short series, by FFT (zero-padded, so not circular) for long ones. */
function lagSums(d: readonly number[], count: number): number[] {
  const n = d.length;
  if (n <= 256) {
    return Array.from({ length: count }, (_, lag) => {
      let s = 0;
      for (let i = 0; i + lag < n; i++) s += d[i] * d[i + lag];
      return s;
    });
  }
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  re.set(d);
  fft(re, im, false);
  for (let k = 0; k < size; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  fft(re, im, true);
  return Array.from({ length: count }, (_, lag) => re[lag] / size);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

export type TrendKind = 'avg' | 'linefit' | 'none';

export interface DecomposeOptions {
  /** -1 autodetect, 0 none, or a period in bins. */
  seasonality: number;
  trend: TrendKind;
  /** Points at the end left out of learning (forecasting). */
  testPoints: number;
  seasonalityThreshold: number;
}

export interface Decomposition {
  baseline: number[];
  seasonal: number[];
  trend: number[];
  residual: number[];
}

/**
 * series_decompose, in the documented order: the seasonal series (the median of the points in the
 * same phase, when a period is set or detected with a score at or above the threshold), the trend
 * of the deseasonalised series (its average, its least-squares line, or nothing), baseline =
 * seasonal + trend, residual = x − baseline. Only the first n − testPoints points are learnt from;
 * the baseline extends over the test points. Missing elements are left out of the learning and
 * have a missing residual.
 */
export function decompose(y: readonly number[], options: DecomposeOptions): Decomposition {
  const n = y.length;
  const learn = Math.max(0, n - Math.max(0, Math.trunc(options.testPoints)));
  const learning = y.slice(0, learn);
  let period = Math.trunc(options.seasonality);
  if (period < 0) {
    const detected = detectPeriod(learning);
    period = detected && detected.score >= options.seasonalityThreshold ? detected.period : 0;
  }
  const seasonal = new Array<number>(n).fill(0);
  if (period > 0) {
    const phases = Array.from({ length: period }, () => [] as number[]);
    learning.forEach((v, i) => {
      if (Number.isFinite(v)) phases[i % period].push(v);
    });
    const medians = phases.map(median);
    for (let i = 0; i < n; i++) seasonal[i] = medians[i % period];
  }
  const deseasonal = y.map((v, i) => v - seasonal[i]);
  let trend: number[];
  if (options.trend === 'linefit') {
    const line = fitLine(deseasonal, learn);
    trend = y.map((_, i) => line.interception + line.slope * (i + 1));
  } else if (options.trend === 'avg') {
    const present = deseasonal.slice(0, learn).filter(Number.isFinite);
    const avg = present.length ? present.reduce((s, v) => s + v, 0) / present.length : 0;
    trend = new Array<number>(n).fill(avg);
  } else trend = new Array<number>(n).fill(0);
  const baseline = seasonal.map((s, i) => s + trend[i]);
  return { baseline, seasonal, trend, residual: y.map((v, i) => v - baseline[i]) };
}

/** Linear interpolation of missing runs between known neighbours; edges take the nearest known value when fillEdges. */
export function fillLinear(values: readonly (number | null)[], fillEdges: boolean, constant: number | null): Array<number | null> {
  const known = values.map((v, i) => (v === null ? -1 : i)).filter((i) => i >= 0);
  if (known.length === 0) return values.map(() => constant);
  const out = values.slice();
  for (let k = 0; k + 1 < known.length; k++) {
    const a = known[k];
    const b = known[k + 1];
    for (let i = a + 1; i < b; i++) out[i] = (values[a] as number) + (((values[b] as number) - (values[a] as number)) * (i - a)) / (b - a);
  }
  if (fillEdges) {
    for (let i = 0; i < known[0]; i++) out[i] = values[known[0]];
    for (let i = known[known.length - 1] + 1; i < out.length; i++) out[i] = values[known[known.length - 1]];
  }
  return out;
}
