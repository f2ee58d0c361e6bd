import { expandCard } from '../cards/card-templates';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { ExpiryNotice } from './expiry-notices';

/**
 * The expiring-tags card: open rows with Extend 30 / Extend 90 / Let expire, then one line per row someone
 * already settled (who did what), so everyone sees what happened without the buttons.
 */
export function expiringTagsCard(notice: ExpiryNotice, now: Date, extraNotes: string[] = []): AdaptiveCardJson {
  const open = notice.rows.filter((row) => row.settled === undefined);
  return expandCard('expiring-tags', {
    noticeId: notice.noticeId,
    title: `Tags about to expire (${notice.rows.length})`,
    intro: 'These benign tags were made in this conversation and expire soon. Once a tag expires, the device shows up in hunts again.',
    // A settled line the extra notes already say (the clicker's own "Extended: …") is not repeated.
    notes: [...extraNotes, ...notice.rows.flatMap((row) => (row.settled === undefined || extraNotes.some((n) => n.includes(row.settled!)) ? [] : [row.settled]))],
    doneText: 'Every tag on this card has been decided.',
    rows: open.map((row) => ({
      searchKey: row.searchKey,
      device: row.deviceName,
      huntKey: row.huntKey,
      line: `Expires ${formatUtc(row.expiresAtUtc)} (${untilText(row.expiresAtUtc, now)})`,
    })),
  });
}

export function formatUtc(iso: string): string {
  return iso === '' ? 'never' : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function untilText(iso: string, now: Date): string {
  const hours = Math.round((Date.parse(iso) - now.getTime()) / 3_600_000);
  if (hours <= 0) return 'now';
  return hours < 48 ? `in ${hours} h` : `in ${Math.round(hours / 24)} days`;
}
