/**
 * The `timeRangeId` of a Defender advanced hunting link.
 *
 * Not documented by Microsoft. Shared advanced hunting links carry `timeRangeId=day`, `week` or
 * `month`, so only those values are written. One open connector also writes `fromDate`/`toDate`
 * for an exact window, but nothing else confirms those parameters, so they are not used.
 * The presets are relative to when the link is opened; the hunt's KQL carries the exact window as
 * datetime literals, so the preset only has to be wide enough.
 */
import { type LinkWindow } from './hunt-window';

export type TimeRangeId = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

/** The narrowest preset as long as the window; `month` for anything longer. */
export function timeRangeIdFor(window: LinkWindow): TimeRangeId {
  const span = window.end.getTime() - window.start.getTime();
  if (span <= DAY_MS) return 'day';
  if (span <= 7 * DAY_MS) return 'week';
  // Advanced hunting keeps 30 days of raw data ("Proactively hunt for threats with advanced
  // hunting"), so month is as wide as the portal goes.
  return 'month';
}
