import { expandCard } from '../cards/card-templates';
import { formatUtc, truncate } from '../cards/text';
import type { BookmarkService } from '../escalation/bookmark-service';
import { countOf } from '../text/count-text';
import { cleanDisplayText, cleanName } from '../text/display-text';
import type { CommandReply } from './command-reply';
import type { CommandSpec } from './command-spec';

const MAX_LISTED = 30;

/** `bookmarks`: the hunting bookmarks made from hits, newest first (Sentinel's huntbot-labelled ones, or the local store's). */
export function bookmarksCommand(bookmarks: BookmarkService): CommandSpec {
  return {
    id: 'bookmarks',
    usage: 'bookmarks',
    summary: 'List the hunting bookmarks made from hits (who, which hunt and device, incidents), newest first.',
    examples: ['bookmarks'],
    permission: 'hunt',
    handle: async (): Promise<CommandReply> => {
      const all = await bookmarks.list();
      const shown = all.slice(0, MAX_LISTED);
      const where = bookmarks.storeName === 'sentinel' ? 'in Sentinel' : 'in the local store';
      return {
        kind: 'card',
        summary: countOf(all.length, 'bookmark'),
        card: expandCard('bookmarks', {
          title: `Hunting bookmarks ${where}`,
          emptyText: 'No hit has been bookmarked yet. Press "Bookmark" on a hit of a hunt result.',
          bookmarks: shown.map((b) => ({
            name: truncate(cleanName(b.displayName), 150),
            line: `${b.huntKey || '?'} · ${truncate(cleanName(b.deviceName || b.deviceId), 80)} — ${truncate(cleanName(b.createdByName) || 'someone', 60)}, ${formatUtc(b.createdAtUtc)}${
              b.incidents.length > 0 ? ` · incident ${b.incidents.map((i) => `#${i.number}`).join(', ')}` : ''
            }`,
            note: truncate(cleanDisplayText(noteOf(b.notes)), 300),
            url: b.url,
          })),
          moreText: all.length > shown.length ? `… and ${all.length - shown.length} more.` : '',
          footer: 'Bookmark a hit with "Bookmark" on its row; "Add to incident" relates the bookmark to a Sentinel incident.',
        }),
      };
    },
  };
}

/** The requester's note without the bot's trailing line. */
function noteOf(notes: string): string {
  return notes.replace(/\s*— Bookmarked by .*$/s, '').trim();
}
