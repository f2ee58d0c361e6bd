import type { HuntWindow, WindowLimit } from '../domain/hunt-request';

export type WindowParse = { ok: true; window: HuntWindow } | { ok: false; message: string };

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
export const WINDOW_FORMS =
  '`<n>m`, `<n>h` or `<n>d` (e.g. `90m`, `12h`, `5d`), `since <datetime>`, `<datetime>..<datetime>` or `around <datetime> ±<n>h`' +
  ' (datetimes like `2026-12-01T14:05`, `2026-12-01 14:05Z` or `2026-12-01T14:05+01:00`; without an offset, in your Teams time zone)';

export function looksLikeWindow(token: string): boolean {
  return /^\d+[a-z]*$/i.test(token);
}

/** Parses `<n>m|h|d`. Never throws; the message says what is valid. */
export function parseWindow(token: string): WindowParse {
  const match = /^(\d{1,6})([mhd])$/i.exec(token.trim());
  if (!match) return { ok: false, message: `"${token}" is not a time window. Use ${WINDOW_FORMS}.` };
  const amount = Number(match[1]);
  const unit = match[2].toLowerCase();
  if (amount === 0) return { ok: false, message: `A window of zero covers nothing. Use ${WINDOW_FORMS}.` };
  return { ok: true, window: { text: `${amount}${unit}`, ms: amount * UNIT_MS[unit] } };
}

export function formatWindow(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}

/**
 * Applies a hunt's maximum; says so when it had to shorten the window. An absolute window keeps its end
 * and starts later (the most recent part of what was asked).
 */
export function capWindow(window: HuntWindow, maxMs: number): { window: HuntWindow; capped: boolean } {
  if (window.ms <= maxMs) return { window, capped: false };
  if (!window.range) return { window: { text: formatWindow(maxMs), ms: maxMs }, capped: true };
  const start = new Date(window.range.end.getTime() - maxMs);
  const shortened = `${start.toISOString().slice(0, 16)}Z..${window.range.end.toISOString().slice(0, 16)}Z`;
  return { window: { text: shortened, ms: maxMs, range: { ...window.range, start } }, capped: true };
}

export type BackendReach = { ok: true; window: HuntWindow; cut: boolean } | { ok: false; message: string };

/**
 * A backend that keeps only the last `limit.maxMs` of data (Defender XDR: 30 days) has nothing before
 * now − maxMs, so an absolute window is judged by where it starts, not only by its length: one that
 * ended before that instant is refused (it would come back empty, a false "clean"), one that starts
 * before it is cut to start there. A relative window ends now, so its length cap already keeps it in reach.
 */
export function withinBackendReach(window: HuntWindow, limit: WindowLimit, now: Date): BackendReach {
  const range = window.range;
  if (!range) return { ok: true, window, cut: false };
  const earliest = new Date(now.getTime() - limit.maxMs);
  const earliestText = `${earliest.toISOString().slice(0, 16)}Z`;
  if (range.end.getTime() <= earliest.getTime()) {
    return {
      ok: false,
      message: `${limit.reason} The window ${window.text} ends before ${earliestText}, so there is nothing there to search. Ask for a window after ${earliestText}.`,
    };
  }
  if (range.start.getTime() >= earliest.getTime()) return { ok: true, window, cut: false };
  const text = `${earliestText}..${range.end.toISOString().slice(0, 16)}Z`;
  const ms = range.end.getTime() - earliest.getTime();
  return { ok: true, window: { text, ms, range: { ...range, start: earliest } }, cut: true };
}

/** What a run's window came to: the window, and when it is not what was asked, what was asked and why. */
export type RunWindow = { ok: true; window: HuntWindow; cappedFrom?: string; cappedBecause?: string } | { ok: false; message: string };

/**
 * The window a run of these hunts covers: the one asked for (else the shortest default), capped to the
 * shortest hunt maximum and to the backend's own look-back (Defender XDR: 30 days, also as an earliest start).
 * The one place `hunt` and `lookup` decide it, so both say the same thing when they shorten it.
 */
export function runWindow(
  hunts: ReadonlyArray<{ maxWindowMs: number; defaultWindowMs: number }>,
  requested: HuntWindow | undefined,
  options: { defaultMs: number; backendLimit?: WindowLimit; now: Date },
): RunWindow {
  const huntMaxMs = Math.min(...hunts.map((h) => h.maxWindowMs || 30 * UNIT_MS.d));
  const backendLimit = options.backendLimit;
  const backendShorter = backendLimit !== undefined && backendLimit.maxMs < huntMaxMs;
  const maxMs = backendShorter ? backendLimit.maxMs : huntMaxMs;
  const defaultMs = Math.min(maxMs, ...hunts.map((h) => h.defaultWindowMs || options.defaultMs));
  const wanted = requested ?? { text: formatWindow(defaultMs), ms: defaultMs };
  const lengthCapped = capWindow(wanted, maxMs);
  const reach = backendLimit ? withinBackendReach(lengthCapped.window, backendLimit, options.now) : { ok: true as const, window: lengthCapped.window, cut: false };
  if (!reach.ok) return reach;
  const capped = lengthCapped.capped || reach.cut;
  const backendCaps = (lengthCapped.capped && backendShorter) || reach.cut;
  return {
    ok: true,
    window: reach.window,
    ...(capped ? { cappedFrom: wanted.text } : {}),
    ...(backendCaps && backendLimit ? { cappedBecause: backendLimit.reason } : {}),
  };
}
