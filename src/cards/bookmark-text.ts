import type { HitBookmark } from '../domain/hunt-run';
import { formatUtc, truncate } from './text';
import { cleanName } from '../text/display-text';

/** "Bookmarked by Alice, 2026-12-03 17:02 UTC (in Sentinel) · added to incident #1234". */
export function bookmarkText(bookmark: HitBookmark): string {
  const where = bookmark.url ? 'in Sentinel' : 'in the local store; `bookmarks` lists it';
  const incidents = (bookmark.incidents ?? []).map((i) => `#${i.number}${i.title ? ` ${truncate(cleanName(i.title), 60)}` : ''}`);
  const added = incidents.length > 0 ? ` · added to incident ${incidents.join(', ')}` : '';
  return `Bookmarked by ${truncate(cleanName(bookmark.byName) || 'someone', 60)}, ${formatUtc(bookmark.atUtc)} (${where})${added}`;
}
