/**
 * Wall-clock time in IANA time zones, through `Intl` (Node's ICU data): which instants a local time
 * names (none in a DST gap, two in an overlap), and how an instant reads in a zone.
 */

/** A local date and time without a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The canonical IANA name of a zone Intl knows (`europe/berlin` → `Europe/Berlin`), or undefined. */
export function canonicalTimeZone(name: string | undefined): string | undefined {
  if (!name || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** How `instant` reads on a clock in `timeZone`. */
export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    ms: instant.getUTCMilliseconds(),
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in winter: +3,600,000). */
export function offsetAt(instant: Date, timeZone: string): number {
  return wallAsUtc(wallTimeIn(instant, timeZone)) - instant.getTime();
}

/**
 * The instants at which a clock in `timeZone` shows `wall`, earliest first: none when the clocks
 * jumped over it (a spring-forward gap), two when they showed it twice (a fall-back overlap).
 */
export function instantsOf(wall: WallTime, timeZone: string): Date[] {
  const asUtc = wallAsUtc(wall);
  // A zone changes its offset at most once in any few days, so the offsets a day either side cover every case.
  const offsets = new Set([offsetAt(new Date(asUtc - 86_400_000), timeZone), offsetAt(new Date(asUtc + 86_400_000), timeZone)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = new Date(asUtc - offset);
    if (sameWall(wallTimeIn(candidate, timeZone), wall)) found.add(candidate.getTime());
  }
  return [...found].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** `+01:00`, `-05:00`, `+05:45`. */
export function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `2026-12-01 14:05` as the clock in the zone shows the instant. */
export function formatWallTime(instant: Date, timeZone: string): string {
  const w = wallTimeIn(instant, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** The wall time read as if it were UTC (years from 100 on; Date.UTC maps 0–99 to 1900–1999). */
export function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms);
}

function sameWall(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}
