/**
 * Typed KQL literals: the only way a value from outside a hunt file (a user's window, a tag key, a
 * watchlist alias) becomes KQL text. Each function returns one self-contained literal token, so the
 * value can never end the literal early or add operators around it.
 */

const TICKS_PER_MS = 10_000;

/** Characters written as escapes: the quote, the escape character, and everything a reader cannot see. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they must be escaped
const NEEDS_ESCAPE = /[\\'\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A single-quoted KQL string literal holding exactly `value`. Backslash and quote are escaped, line
 * breaks and other control characters become `\n` / `\uXXXX` (a raw line break would end the
 * literal), and every other character, including emoji, right-to-left text and `{{`, is kept as is.
 */
export function kqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError('kqlString expects a string');
  const body = value.replace(NEEDS_ESCAPE, (ch) => NAMED_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${body}'`;
}

/** `datetime(2026-11-28T03:00:00.0000000Z)`: UTC with Kusto's seven fractional digits. */
export function kqlDatetime(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError('kqlDatetime expects a valid Date');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new RangeError(`kqlDatetime: year ${year} is outside Kusto's datetime range`);
  const iso = date.toISOString(); // yyyy-mm-ddThh:mm:ss.fffZ, always UTC
  return `datetime(${iso.slice(0, 23)}0000Z)`;
}

/**
 * A timespan literal for a duration in milliseconds, in the largest whole unit (`5d`, `36h`, `1500ms`);
 * sub-millisecond parts are kept as ticks. Negative spans are wrapped in `time(...)` so the minus sign
 * stays part of the literal wherever it is placed.
 */
export function kqlTimespan(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('kqlTimespan expects a finite number of milliseconds');
  const ticks = Math.round(ms * TICKS_PER_MS);
  if (!Number.isSafeInteger(ticks)) throw new RangeError('kqlTimespan: duration out of range');
  if (ticks < 0) return `time(${timespanText(-ticks, '-')})`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000 * TICKS_PER_MS],
    ['h', 3_600_000 * TICKS_PER_MS],
    ['m', 60_000 * TICKS_PER_MS],
    ['s', 1000 * TICKS_PER_MS],
    ['ms', TICKS_PER_MS],
    ['tick', 1],
  ];
  if (ticks === 0) return '0s';
  for (const [unit, size] of units) {
    if (ticks % size === 0) return `${ticks / size}${unit}`;
  }
  return `${ticks}tick`;
}

/** `[-]d.hh:mm:ss.fffffff` for a non-negative tick count. */
function timespanText(ticks: number, sign: string): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const fraction = ticks % 10_000_000;
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const seconds = totalSeconds % 60;
  return `${sign}${days}.${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(fraction, 7)}`;
}

/** `long(123)`: an integer literal; the `long(...)` form keeps a negative sign inside the literal. */
export function kqlLong(value: number | bigint): string {
  if (typeof value === 'bigint') {
    if (value > 9_223_372_036_854_775_807n || value < -9_223_372_036_854_775_808n) throw new RangeError('kqlLong: out of the long range');
    return `long(${value.toString()})`;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError('kqlLong expects a safe integer or a bigint');
  return `long(${value})`;
}

/** `true` / `false`. */
export function kqlBool(value: boolean): string {
  if (typeof value !== 'boolean') throw new TypeError('kqlBool expects a boolean');
  return value ? 'true' : 'false';
}
