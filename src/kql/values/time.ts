/**
 * Kusto datetimes and timespans are counts of 100 ns ticks. Scalars carry them as BigInt ticks
 * (datetimes counted from the Unix epoch) so no precision is lost; columns split a datetime into
 * whole milliseconds plus a 0..9999 sub-millisecond tick count (see DateTimeColumn).
 */

export const TICKS_PER_MS = 10000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;
/** Ticks between 0001-01-01 (.NET's DateTime origin, which bin() aligns to) and 1970-01-01. */
export const TICKS_0001_TO_1970 = 621355968000000000n;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A datetime split for columns: whole ms since the epoch and 0..9999 extra ticks. */
export interface MsAndTicks {
  ms: number;
  sub: number;
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses the ISO 8601 forms Kusto accepts: `2024-01-31`, `2024-01-31 10:00`, `2024-01-31T10:00:00`,
 * with up to 7 fractional digits (more are truncated) and an optional `Z` or `±hh:mm` offset
 * (no offset means UTC). Returns null when the text is not such a datetime.
 */
export function parseIsoDateTime(text: string): MsAndTicks | null {
  const s = text.trim();
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  let pos = 10;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fractionTicks = 0;
  if (pos < s.length && (s[pos] === 'T' || s[pos] === ' ')) {
    hour = digits(s, pos + 1, 2);
    if (s[pos + 3] !== ':') return null;
    minute = digits(s, pos + 4, 2);
    pos += 6;
    if (s[pos] === ':') {
      second = digits(s, pos + 1, 2);
      pos += 3;
      if (s[pos] === '.') {
        pos++;
        let n = 0;
        while (pos < s.length && s.charCodeAt(pos) >= 48 && s.charCodeAt(pos) <= 57) {
          if (n < 7) fractionTicks = fractionTicks * 10 + (s.charCodeAt(pos) - 48);
          n++;
          pos++;
        }
        if (n === 0) return null;
        for (; n < 7; n++) fractionTicks *= 10;
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  }
  let offsetMinutes = 0;
  if (pos < s.length) {
    const c = s[pos];
    if (c === 'Z' || c === 'z') pos++;
    else if (c === '+' || c === '-') {
      const oh = digits(s, pos + 1, 2);
      const om = s[pos + 3] === ':' ? digits(s, pos + 4, 2) : digits(s, pos + 3, 2);
      if (oh < 0 || om < 0) return null;
      offsetMinutes = (oh * 60 + om) * (c === '+' ? 1 : -1);
      pos += s[pos + 3] === ':' ? 6 : 5;
    }
  }
  if (pos !== s.length) return null;
  const ms =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    Math.floor(fractionTicks / 10000);
  return { ms, sub: fractionTicks % 10000 };
}

/** Ticks since the Unix epoch from the ISO forms above, RFC 822/850 text (`Sat, 8 Nov 14 15:05:02 GMT`) or `MM/dd/yyyy HH:mm:ss`. */
export function parseDateTimeTicks(text: string): bigint | null {
  const iso = parseIsoDateTime(text);
  if (iso) return msAndTicksToTicks(iso.ms, iso.sub);
  return parseRfcDateTime(text) ?? parseUsDateTime(text);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = { gmt: 0, ut: 0, utc: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };
const RFC = /^(?:[A-Za-z]+,\s*)?(\d{1,2})([ -])([A-Za-z]{3,9})\2(\d{4}|\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(?:\s*([A-Za-z]{1,3}|[+-]\d{2}:?\d{2}))?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;

/** Ticks of a civil date and time (UTC, minus an offset in minutes), or null when a field is out of range. */
function civilTicks(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string, offsetMinutes: number): bigint | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
  return BigInt(ms) * TICKS_PER_MS + (fraction ? BigInt(fraction.padEnd(7, '0')) : 0n);
}

/**
 * RFC 822 (`Sat, 8 Nov 14 15:05:02 GMT`, `8 Nov 14 15:05`) and RFC 850 (`Saturday, 08-Nov-14 15:05:02 GMT`),
 * as the datetime page lists them. Two-digit years are 2000-2049 or 1950-1999, as .NET reads them.
 */
function parseRfcDateTime(text: string): bigint | null {
  const m = RFC.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[3].slice(0, 3).toLowerCase()) + 1;
  if (month === 0) return null;
  let year = Number(m[4]);
  if (m[4].length === 2) year += year < 50 ? 2000 : 1900;
  let offset = 0;
  const zone = m[9];
  if (zone) {
    if (zone[0] === '+' || zone[0] === '-') {
      const digits = zone.slice(1).replace(':', '');
      offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * (zone[0] === '-' ? -1 : 1);
    } else {
      const known = ZONES[zone.toLowerCase()];
      if (known === undefined) return null;
      offset = known;
    }
  }
  return civilTicks(year, month, Number(m[1]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0), m[8] ?? '', offset);
}

/** `01/16/2022 00:00:00` (month first), a form published hunts write in datetime literals. */
function parseUsDateTime(text: string): bigint | null {
  const m = US.exec(text.trim());
  if (!m) return null;
  return civilTicks(Number(m[3]), Number(m[1]), Number(m[2]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7] ?? '', 0);
}

export function msAndTicksToTicks(ms: number, sub: number): bigint {
  return BigInt(ms) * TICKS_PER_MS + BigInt(sub);
}

/** Splits ticks into floor(ms) and the 0..9999 remainder (correct for pre-1970 values too). */
export function ticksToMsAndTicks(ticks: bigint): MsAndTicks {
  let ms = ticks / TICKS_PER_MS;
  let sub = ticks - ms * TICKS_PER_MS;
  if (sub < 0n) {
    ms -= 1n;
    sub += TICKS_PER_MS;
  }
  return { ms: Number(ms), sub: Number(sub) };
}

/** `yyyy-MM-ddTHH:mm:ss.fffffffZ`, the form Kusto renders datetimes in. */
export function formatDateTimeParts(ms: number, sub: number): string {
  const iso = new Date(ms).toISOString(); // yyyy-MM-ddTHH:mm:ss.fffZ for years 0..9999
  return `${iso.slice(0, 23)}${String(sub).padStart(4, '0')}Z`;
}

export function formatDateTime(ticks: bigint): string {
  const { ms, sub } = ticksToMsAndTicks(ticks);
  return formatDateTimeParts(ms, sub);
}

/** Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`, e.g. `1.02:03:04`, `00:00:00.5000000`. */
export function formatTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  let t = negative ? -ticks : ticks;
  const days = t / TICKS_PER_DAY;
  t -= days * TICKS_PER_DAY;
  const hours = t / TICKS_PER_HOUR;
  t -= hours * TICKS_PER_HOUR;
  const minutes = t / TICKS_PER_MINUTE;
  t -= minutes * TICKS_PER_MINUTE;
  const seconds = t / TICKS_PER_SECOND;
  const fraction = t - seconds * TICKS_PER_SECOND;
  const two = (v: bigint) => String(v).padStart(2, '0');
  const dayPart = days > 0n ? `${days}.` : '';
  const fractionPart = fraction > 0n ? `.${String(fraction).padStart(7, '0')}` : '';
  return `${negative ? '-' : ''}${dayPart}${two(hours)}:${two(minutes)}:${two(seconds)}${fractionPart}`;
}

const UNIT_TICKS: Record<string, number> = {
  d: 864e9,
  day: 864e9,
  days: 864e9,
  h: 36e9,
  hr: 36e9,
  hrs: 36e9,
  hour: 36e9,
  hours: 36e9,
  m: 6e8,
  min: 6e8,
  mins: 6e8,
  minute: 6e8,
  minutes: 6e8,
  s: 1e7,
  sec: 1e7,
  secs: 1e7,
  second: 1e7,
  seconds: 1e7,
  ms: 1e4,
  milli: 1e4,
  millis: 1e4,
  millisec: 1e4,
  millisecond: 1e4,
  milliseconds: 1e4,
  microsec: 10,
  microsecond: 10,
  microseconds: 10,
  tick: 1,
  ticks: 1,
};

/** Multiplies a decimal text by a whole number of ticks exactly (no float rounding for `1.5h`). */
function decimalTimesTicks(numberText: string, unitTicks: number): bigint {
  const [whole, frac = ''] = numberText.split('.');
  const scale = 10n ** BigInt(frac.length);
  return (BigInt(`${whole || '0'}${frac}`) * BigInt(unitTicks)) / scale;
}

/**
 * Parses timespan text: `5d`, `1.5h`, `100ms`, `2 days`... or the clock form `[-][d.]hh:mm[:ss[.fffffff]]`.
 * Returns null when it is neither.
 */
export function parseTimespanTicks(text: string): bigint | null {
  const s = text.trim();
  const unit = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)\s*([a-z]+)$/i.exec(s);
  if (unit) {
    const per = UNIT_TICKS[unit[3].toLowerCase()];
    if (per === undefined) return null;
    const v = decimalTimesTicks(unit[2], per);
    return unit[1] === '-' ? -v : v;
  }
  const clock = /^([+-]?)(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (clock) {
    const [, sign, d = '0', h, m, sec = '0', frac = ''] = clock;
    const v =
      BigInt(d) * TICKS_PER_DAY +
      BigInt(h) * TICKS_PER_HOUR +
      BigInt(m) * TICKS_PER_MINUTE +
      BigInt(sec) * TICKS_PER_SECOND +
      (frac ? BigInt(frac.padEnd(7, '0')) : 0n);
    return sign === '-' ? -v : v;
  }
  if (/^[+-]?\d+$/.test(s)) return BigInt(s) * TICKS_PER_DAY; // time(2) means two days
  return null;
}

export function ticksFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * TICKS_PER_MS;
}
