/** Checks a link's time window before it is written into a URL. */
import type { PortalLinkOptions } from './portal-link-options';

export type LinkWindow = NonNullable<PortalLinkOptions['window']>;

/** True when both ends are real dates and the window ends after it starts. */
export function isUsableWindow(window: LinkWindow): boolean {
  // instanceof because windows also arrive from JSON-shaped state, where a date may be a string.
  if (!(window.start instanceof Date) || !(window.end instanceof Date)) return false;
  const start = window.start.getTime();
  const end = window.end.getTime();
  return Number.isFinite(start) && Number.isFinite(end) && end > start;
}
