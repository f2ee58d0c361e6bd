import type { AbsoluteRange, HuntWindow } from '../domain/hunt-request';
import { looksLikeWindow, parseWindow, WINDOW_FORMS } from './window';
import { canonicalTimeZone, formatWallTime, instantsOf, offsetAt, offsetText, type WallTime } from '../util/zoned-time';

/** What the window is read against: the moment of asking, and the sender's Teams time zone (if known). */
export interface WindowContext {
  now: Date;
  /** IANA name from the sender's activity; unknown or invalid names mean UTC. */
  timeZone?: string;
}

export type WindowWordsParse =
  /** `window` is undefined when the words hold none; `rest` are the words around it, unchanged. */
  | { ok: true; window?: HuntWindow; rest: string[] }
  | { ok: false; message: string };

const HOUR_MS = 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS };
const MAX_AROUND_MS = 15 * 24 * HOUR_MS;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(z|[+-]\d{2}(?::?\d{2})?)?$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})t(.+)$/;
const PLUS_MINUS = /^(?:±|\+-|\+\/-)(.*)$/;

/** One piece of a word: words are split at `..`, so `14:05..2026-12-01` is a time, the separator and a date. */
interface Token {
  text: string;
  word: number;
  /** True for the last piece of its word: a window may only end there. */
  endsWord: boolean;
}

/** A datetime as written, before it is read in a zone. */
interface WrittenTime {
  wall: WallTime;
  /** Milliseconds east of UTC, when the text gave an offset. */
  offsetMs?: number;
  text: string;
}

class WindowError extends Error {}

/**
 * Finds the hunt window among command words: `<n>m|h|d`, `since <datetime>`, `<datetime>..<datetime>` or
 * `around <datetime> ±<n>h`, where a datetime is ISO 8601 (`2026-12-01T14:05`, `2026-12-01 14:05Z` — two
 * words —, with an optional offset). Times without an offset are read in the sender's zone (UTC when
 * unknown); ends in the future become "now". Never throws; a refusal names the valid forms.
 */
export function parseWindowWords(words: readonly string[], context: WindowContext): WindowWordsParse {
  const first = words.findIndex(startsWindow);
  if (first < 0) return { ok: true, rest: [...words] };
  const parsed = parseFrom(words, first, context);
  const second = parsed.ok ? parsed.rest.find(startsWindow) : undefined;
  if (second !== undefined) return { ok: false, message: `Give one window, not two ("${clipped(second)}" is a second one). Use ${WINDOW_FORMS}.` };
  return parsed;
}

function parseFrom(words: readonly string[], first: number, context: WindowContext): WindowWordsParse {
  const lower = words[first].toLowerCase();
  if (looksLikeWindow(lower)) {
    const parsed = parseWindow(lower);
    return parsed.ok ? { ok: true, window: parsed.window, rest: without(words, first, first + 1) } : parsed;
  }
  try {
    const tokens = tokensOf(words, first);
    const { range, used, zone, text } = readAbsolute(tokens, context);
    const lastWord = tokens[used - 1].word;
    const window: HuntWindow = { text, ms: range.end.getTime() - range.start.getTime(), range: { ...range, senderZone: zone.sender, notes: zone.notes } };
    return { ok: true, window, rest: without(words, first, lastWord + 1) };
  } catch (error) {
    if (error instanceof WindowError) return { ok: false, message: error.message };
    throw error;
  }
}

function startsWindow(word: string): boolean {
  const lower = word.toLowerCase();
  return lower === 'since' || lower === 'around' || DATE.test(datePart(lower)) || looksLikeWindow(lower);
}

/** The leading `yyyy-mm-dd` of a word, if it has one. */
function datePart(word: string): string {
  return word.slice(0, 10);
}

function tokensOf(words: readonly string[], from: number): Token[] {
  const tokens: Token[] = [];
  for (let w = from; w < words.length; w++) {
    const pieces = words[w].toLowerCase().split(/(\.\.)/).filter((piece) => piece !== '');
    pieces.forEach((text, i) => tokens.push({ text, word: w, endsWord: i === pieces.length - 1 }));
  }
  return tokens;
}

interface ReadZone {
  /** The zone times without an offset are read in. */
  name: string;
  sender?: string;
  /** Whether any datetime had no offset, so the zone mattered. */
  used: boolean;
  notes: string[];
}

type BareRange = Omit<AbsoluteRange, 'notes' | 'senderZone'>;

function readAbsolute(tokens: Token[], context: WindowContext): { range: BareRange; used: number; zone: ReadZone; text: string } {
  const sender = canonicalTimeZone(context.timeZone);
  const zone: ReadZone = { name: sender ?? 'UTC', sender, used: false, notes: [] };
  const now = context.now;
  let at: number;
  const head = tokens[0].text;
  let range: BareRange;
  if (head === 'since') {
    const start = readTime(tokens, 1, zone, 'since');
    at = start.next;
    range = { form: 'since', start: start.instant, end: now, endsNow: true };
    if (start.instant.getTime() >= now.getTime()) {
      throw new WindowError(`${describe(start.instant, zone)} is in the future, so "since" covers nothing yet. Use ${WINDOW_FORMS}.`);
    }
  } else if (head === 'around') {
    const center = readTime(tokens, 1, zone, 'around');
    const span = readPlusMinus(tokens, center.next);
    at = span.next;
    const start = new Date(center.instant.getTime() - span.ms);
    const end = new Date(center.instant.getTime() + span.ms);
    range = { form: 'around', start, end, endsNow: false };
  } else {
    const from = readTime(tokens, 0, zone, 'range');
    if (tokens[from.next]?.text !== '..') {
      throw new WindowError(
        `A datetime alone is not a window: say \`since ${from.text}\`, \`${from.text}..<datetime>\` or \`around ${from.text} ±1h\`. Use ${WINDOW_FORMS}.`,
      );
    }
    const to = readTime(tokens, from.next + 1, zone, 'range');
    at = to.next;
    if (from.instant.getTime() >= to.instant.getTime()) {
      throw new WindowError(
        `The window starts (${describe(from.instant, zone)}) after it ends (${describe(to.instant, zone)}). Use ${WINDOW_FORMS}.`,
      );
    }
    range = { form: 'between', start: from.instant, end: to.instant, endsNow: false };
  }
  if (!tokens[at - 1].endsWord) throw new WindowError(`"${tokens[at].text}" cannot follow the window. Use ${WINDOW_FORMS}.`);
  const text = absoluteText(range);
  range = clampEnd(range, now, zone);
  if (range.start.getTime() >= range.end.getTime()) {
    throw new WindowError(`The window starts (${describe(range.start, zone)}) after now (${describe(now, zone)}): nothing has happened in it yet. Use ${WINDOW_FORMS}.`);
  }
  if (zone.used) {
    zone.notes.unshift(
      zone.sender
        ? `Times without an offset were read in ${zone.sender} (your Teams time zone).`
        : 'Times without an offset were read as UTC (your Teams time zone is not known).',
    );
  }
  return { range, used: at, zone, text };
}

/** An end in the future becomes now, and the card says so. */
function clampEnd(range: BareRange, now: Date, zone: ReadZone): BareRange {
  if (range.end.getTime() <= now.getTime()) return range;
  zone.notes.push(`The end you asked for (${describe(range.end, zone)}) is in the future: the window ends now (${describe(now, zone)}).`);
  return { ...range, end: now, endsNow: true };
}

function readTime(tokens: Token[], at: number, zone: ReadZone, after: string): { instant: Date; next: number; text: string } {
  const token = tokens[at];
  if (!token) throw new WindowError(`\`${after}\` needs a datetime like \`2026-12-01T14:05\`. Use ${WINDOW_FORMS}.`);
  let dateText: string;
  let timeText: string | undefined;
  let next = at + 1;
  const joined = DATETIME.exec(token.text);
  if (joined) {
    [, dateText, timeText] = joined;
  } else if (DATE.test(token.text)) {
    dateText = token.text;
    const following = tokens[at + 1];
    if (token.endsWord && following && TIME.test(following.text)) {
      timeText = following.text;
      next = at + 2;
    }
  } else {
    throw new WindowError(`"${clipped(token.text)}" is not a datetime. Write it like \`2026-12-01T14:05\`, \`2026-12-01 14:05Z\` or \`2026-12-01T14:05+01:00\`. Use ${WINDOW_FORMS}.`);
  }
  const written = writtenTime(dateText, timeText);
  return { instant: instantOf(written, zone), next, text: written.text };
}

function writtenTime(dateText: string, timeText: string | undefined): WrittenTime {
  const date = DATE.exec(dateText);
  const time = timeText === undefined ? undefined : TIME.exec(timeText);
  const text = timeText === undefined ? dateText : `${dateText}T${timeText.toUpperCase()}`;
  const bad = () => new WindowError(`"${clipped(text)}" is not a valid datetime. Write it like \`2026-12-01T14:05\`, \`2026-12-01 14:05Z\` or \`2026-12-01T14:05+01:00\`.`);
  if (!date || (timeText !== undefined && !time)) throw bad();
  const wall: WallTime = {
    year: Number(date[1]),
    month: Number(date[2]),
    day: Number(date[3]),
    hour: time ? Number(time[1]) : 0,
    minute: time ? Number(time[2]) : 0,
    second: time?.[3] ? Number(time[3]) : 0,
    ms: time?.[4] ? Math.floor(Number(`0.${time[4]}`) * 1000) : 0,
  };
  const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
  if (wall.year < 1900 || wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > daysInMonth) throw bad();
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) throw bad();
  const offset = time?.[5];
  if (offset === undefined) return { wall, text };
  if (offset === 'z') return { wall, offsetMs: 0, text };
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) throw bad();
  return { wall, offsetMs: (offset[0] === '-' ? -1 : 1) * (hours * HOUR_MS + minutes * 60_000), text };
}

/** The instant a written time names: by its offset, or read in the zone (refused in a DST gap, the first of two in an overlap). */
function instantOf(written: WrittenTime, zone: ReadZone): Date {
  const { wall } = written;
  if (written.offsetMs !== undefined) {
    return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms) - written.offsetMs);
  }
  zone.used = true;
  const instants = instantsOf(wall, zone.name);
  const shown = written.text.replace('T', ' ');
  if (instants.length === 0) {
    const before = offsetText(offsetAt(new Date(Date.UTC(wall.year, wall.month - 1, wall.day) - 86_400_000), zone.name));
    throw new WindowError(
      `${shown} does not exist in ${zone.name}: the clocks skipped it (daylight saving time). Give the time with an offset, e.g. \`${written.text}${before}\`, or a time outside the gap.`,
    );
  }
  if (instants.length > 1) {
    const [earlier, later] = instants;
    zone.notes.push(
      `${shown} happens twice in ${zone.name} (clocks go back); used the first, ${shown} ${offsetText(offsetAt(earlier, zone.name))}. Write \`${written.text}${offsetText(offsetAt(later, zone.name))}\` for the second.`,
    );
  }
  return instants[0];
}

function readPlusMinus(tokens: Token[], at: number): { ms: number; next: number } {
  const usage = `\`around <datetime>\` needs a span like \`±2h\` (or \`+-2h\`). Use ${WINDOW_FORMS}.`;
  const token = tokens[at];
  const sign = token ? PLUS_MINUS.exec(token.text) : null;
  if (!token || !sign) throw new WindowError(usage);
  let amountText = sign[1];
  let next = at + 1;
  if (amountText === '' && token.endsWord && tokens[at + 1]) {
    amountText = tokens[at + 1].text;
    next = at + 2;
  }
  const match = /^(\d{1,4})([mhd])$/.exec(amountText);
  if (!match || Number(match[1]) === 0) throw new WindowError(usage);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (ms > MAX_AROUND_MS) throw new WindowError(`\`around\` reaches at most ±15d either side. Use ${WINDOW_FORMS}.`);
  return { ms, next };
}

/** The window in words that ask for it again from anyone, in any zone: UTC with `Z`. */
export function absoluteText(range: Pick<AbsoluteRange, 'form' | 'start' | 'end'>): string {
  if (range.form === 'since') return `since ${isoMinute(range.start)}`;
  return `${isoMinute(range.start)}..${isoMinute(range.end)}`;
}

/** `2026-12-01T13:05Z`, with seconds only when it has them. */
export function isoMinute(instant: Date): string {
  const iso = instant.toISOString();
  if (iso.endsWith(':00.000Z')) return `${iso.slice(0, 16)}Z`;
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

function describe(instant: Date, zone: ReadZone): string {
  return zone.name === 'UTC' ? `${formatWallTime(instant, 'UTC')} UTC` : `${formatWallTime(instant, zone.name)} ${zone.name}`;
}

function without(words: readonly string[], from: number, to: number): string[] {
  return [...words.slice(0, from), ...words.slice(to)];
}

function clipped(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}
