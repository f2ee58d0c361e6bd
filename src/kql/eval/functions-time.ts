import { parseTimespanTicks, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_MS, TICKS_PER_SECOND, ticksToMsAndTicks } from '../values/time';
import type { Value } from '../values/value';
import { derived } from './compiled';
import { type FunctionImpl, num, str } from './function-call';

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0..9999999 ticks within the second. */
  fraction: number;
  /** 0 = Sunday. */
  weekday: number;
}

function civil(ticks: bigint): Civil {
  const { ms, sub } = ticksToMsAndTicks(ticks);
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: d.getUTCMilliseconds() * 10000 + sub,
    weekday: d.getUTCDay(),
  };
}

function ticksOf(year: number, month: number, day: number): bigint {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return BigInt(d.getTime()) * TICKS_PER_MS;
}

const DAY = TICKS_PER_DAY;

function floorTicks(t: bigint, unit: bigint): bigint {
  const q = t / unit;
  return (t % unit !== 0n && t < 0n ? q - 1n : q) * unit;
}

/** The start of the period holding `t`, moved by `offset` periods. */
function startOf(period: 'day' | 'week' | 'month' | 'year', t: bigint, offset: number): bigint {
  const c = civil(t);
  switch (period) {
    case 'day':
      return floorTicks(t, DAY) + BigInt(offset) * DAY;
    case 'week':
      return floorTicks(t, DAY) - BigInt(c.weekday) * DAY + BigInt(offset) * 7n * DAY;
    case 'month':
      return ticksOf(c.year, c.month + offset, 1);
    case 'year':
      return ticksOf(c.year + offset, 1, 1);
  }
}

function periodFunction(period: 'day' | 'week' | 'month' | 'year', end: boolean): FunctionImpl {
  return ({ args }) => {
    const offsetOf = num(args[1]);
    return derived('datetime', args, (i) => {
      const t = args[0].eval(i) as bigint | null;
      const offset = args[1] ? offsetOf(i) : 0;
      if (t === null || offset === null) return null;
      return end ? startOf(period, t, Math.trunc(offset) + 1) - 1n : startOf(period, t, Math.trunc(offset));
    });
  };
}

const FIXED_UNITS: Record<string, bigint> = {
  week: 7n * DAY,
  day: DAY,
  hour: TICKS_PER_HOUR,
  minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND,
  millisecond: TICKS_PER_MS,
  microsecond: 10n,
  nanosecond: 1n,
};

function unitName(text: string): string {
  const u = text.trim().toLowerCase();
  const aliases: Record<string, string> = { ms: 'millisecond', microsec: 'microsecond', nanosec: 'nanosecond' };
  return aliases[u] ?? u;
}

/** datetime_diff: how many period boundaries lie between the two datetimes (left minus right). */
function datetimeDiff(period: string, a: bigint, b: bigint): number | null {
  const x = civil(a);
  const y = civil(b);
  switch (period) {
    case 'year':
      return x.year - y.year;
    case 'quarter':
      return x.year * 4 + Math.floor((x.month - 1) / 3) - (y.year * 4 + Math.floor((y.month - 1) / 3));
    case 'month':
      return x.year * 12 + x.month - (y.year * 12 + y.month);
    case 'week':
      return Number((startOf('week', a, 0) - startOf('week', b, 0)) / (7n * DAY));
    case 'nanosecond':
      return Number(a - b) * 100;
    default: {
      const unit = FIXED_UNITS[period];
      if (unit === undefined) return null;
      return Number(floorTicks(a, unit) / unit - floorTicks(b, unit) / unit);
    }
  }
}

/** datetime_add: calendar periods keep the day of month where they can (Jan 31 + 1 month = Feb 28/29). */
function datetimeAdd(period: string, amount: number, t: bigint): bigint | null {
  const months = period === 'year' ? 12 : period === 'quarter' ? 3 : period === 'month' ? 1 : 0;
  if (months > 0) {
    const c = civil(t);
    const total = c.year * 12 + (c.month - 1) + amount * months;
    const year = Math.floor(total / 12);
    const month = (total % 12) + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return ticksOf(year, month, Math.min(c.day, lastDay)) + (t - floorTicks(t, DAY));
  }
  if (period === 'nanosecond') return t + BigInt(Math.trunc(amount / 100));
  const unit = FIXED_UNITS[period];
  return unit === undefined ? null : t + BigInt(Math.trunc(amount)) * unit;
}

const pad = (v: number, n: number): string => String(v).padStart(n, '0');
const FORMAT_TOKEN = /d{1,2}|f{1,7}|F{1,7}|h{1,2}|H{1,2}|m{1,2}|M{1,2}|s{1,2}|y{1,4}|tt|'[^']*'|"[^"]*"|./g;

/** format_datetime's specifiers (the page's table): d dd f.. F.. h hh H HH m mm M MM s ss y yy yyyy tt. */
function formatDateTime(t: bigint, format: string): string {
  const c = civil(t);
  return format.replace(FORMAT_TOKEN, (token) => {
    const fraction = pad(c.fraction, 7);
    switch (token[0]) {
      case 'd':
        return pad(c.day, token.length);
      case 'f':
        return fraction.slice(0, token.length);
      case 'F':
        return fraction.slice(0, token.length).replace(/0+$/, '');
      case 'h':
        return pad(c.hour % 12 === 0 ? 12 : c.hour % 12, token.length);
      case 'H':
        return pad(c.hour, token.length);
      case 'm':
        return pad(c.minute, token.length);
      case 'M':
        return pad(c.month, token.length);
      case 's':
        return pad(c.second, token.length);
      case 'y':
        return token.length === 1 ? String(c.year % 100) : token.length === 2 ? pad(c.year % 100, 2) : pad(c.year, token.length);
      case 't':
        return token === 'tt' ? (c.hour < 12 ? 'AM' : 'PM') : token;
      case "'":
      case '"':
        return token.slice(1, -1);
      default:
        return token;
    }
  });
}

/** format_timespan's specifiers: d.. (days), h hh H HH, m mm, s ss, f.. F.. (fractions). */
function formatTimespanText(ticks: bigint, format: string): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const days = t / DAY;
  t -= days * DAY;
  const hours = Number(t / TICKS_PER_HOUR);
  t -= BigInt(hours) * TICKS_PER_HOUR;
  const minutes = Number(t / TICKS_PER_MINUTE);
  t -= BigInt(minutes) * TICKS_PER_MINUTE;
  const seconds = Number(t / TICKS_PER_SECOND);
  const fraction = pad(Number(t - BigInt(seconds) * TICKS_PER_SECOND), 7);
  const text = format.replace(/d+|f{1,7}|F{1,7}|h{1,2}|H{1,2}|m{1,2}|s{1,2}|'[^']*'|"[^"]*"|./g, (token) => {
    switch (token[0]) {
      case 'd':
        return String(days).padStart(token.length, '0');
      case 'f':
        return fraction.slice(0, token.length);
      case 'F':
        return fraction.slice(0, token.length).replace(/0+$/, '');
      case 'h':
      case 'H':
        return pad(hours, token.length);
      case 'm':
        return pad(minutes, token.length);
      case 's':
        return pad(seconds, token.length);
      case "'":
      case '"':
        return token.slice(1, -1);
      default:
        return token;
    }
  });
  return negative ? `-${text}` : text;
}

function part(fn: (c: Civil, t: bigint) => number, type: 'int' | 'long' = 'int'): FunctionImpl {
  return ({ args }) =>
    derived(type, args, (i) => {
      const t = args[0].eval(i) as bigint | null;
      return t === null ? null : fn(civil(t), t);
    });
}

function fromUnix(ticksPerUnit: bigint | number): FunctionImpl {
  return ({ args }) => {
    const n = num(args[0]);
    return derived('datetime', args, (i) => {
      const v = n(i);
      if (v === null) return null;
      return typeof ticksPerUnit === 'bigint' && Number.isInteger(v)
        ? BigInt(v) * ticksPerUnit
        : BigInt(Math.round(v * Number(ticksPerUnit)));
    });
  };
}

/** Date and time functions from the Kusto documentation. */
export const TIME_FUNCTIONS: Record<string, FunctionImpl> = {
  startofweek: periodFunction('week', false),
  startofmonth: periodFunction('month', false),
  startofyear: periodFunction('year', false),
  endofday: periodFunction('day', true),
  endofweek: periodFunction('week', true),
  endofmonth: periodFunction('month', true),
  endofyear: periodFunction('year', true),
  datetime_diff: ({ args }) => {
    const period = str(args[0]);
    return derived('long', args, (i) => {
      const a = args[1].eval(i) as bigint | null;
      const b = args[2].eval(i) as bigint | null;
      return a === null || b === null ? null : datetimeDiff(unitName(period(i)), a, b);
    });
  },
  datetime_add: ({ args }) => {
    const period = str(args[0]);
    const amount = num(args[1]);
    return derived('datetime', args, (i) => {
      const n = amount(i);
      const t = args[2].eval(i) as bigint | null;
      return n === null || t === null ? null : datetimeAdd(unitName(period(i)), Math.trunc(n), t);
    });
  },
  format_datetime: ({ args }) => {
    const format = str(args[1]);
    return derived('string', args, (i) => {
      const t = args[0].eval(i) as bigint | null;
      return t === null ? '' : formatDateTime(t, format(i));
    });
  },
  format_timespan: ({ args }) => {
    const format = str(args[1]);
    return derived('string', args, (i) => {
      const t = args[0].eval(i) as bigint | null;
      return t === null ? '' : formatTimespanText(t, format(i));
    });
  },
  dayofweek: ({ args }) =>
    derived('timespan', args, (i) => {
      const t = args[0].eval(i) as bigint | null;
      return t === null ? null : BigInt(civil(t).weekday) * DAY;
    }),
  dayofmonth: part((c) => c.day),
  dayofyear: part((c, t) => Number((floorTicks(t, DAY) - ticksOf(c.year, 1, 1)) / DAY) + 1),
  hourofday: part((c) => c.hour),
  getmonth: part((c) => c.month),
  monthofyear: part((c) => c.month),
  getyear: part((c) => c.year),
  week_of_year: part((c, t) => {
    // ISO 8601 week number
    const thursday = floorTicks(t, DAY) + BigInt(3 - ((c.weekday + 6) % 7)) * DAY;
    const year = civil(thursday).year;
    return Number((thursday - ticksOf(year, 1, 1)) / (7n * DAY)) + 1;
  }),
  unixtime_seconds_todatetime: fromUnix(TICKS_PER_SECOND),
  unixtime_milliseconds_todatetime: fromUnix(TICKS_PER_MS),
  unixtime_microseconds_todatetime: fromUnix(10n),
  unixtime_nanoseconds_todatetime: fromUnix(0.01),
  totimespan: ({ args }) =>
    derived('timespan', args, (i) => {
      const v: Value = args[0].eval(i);
      if (v === null) return null;
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return BigInt(Math.trunc(v));
      return parseTimespanTicks(String(v));
    }),
};
TIME_FUNCTIONS.weekofyear = TIME_FUNCTIONS.week_of_year;
