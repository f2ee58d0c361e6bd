import type { Exclusion } from '../stores/exclusion-store';
import type { TagConversation } from './expiry-conversations';

/** The tags one conversation is told about. */
export interface ExpiringGroup {
  conversation: TagConversation;
  /** Soonest expiry first. */
  tags: Exclusion[];
}

/**
 * Tags that are still active and expire within `days` of `now`, grouped by the conversation that last
 * saved them. Tags that never expire, have already expired, or were made where no reference was kept
 * (before this feature, or from a command) are left out; conversations with nothing expiring get no group.
 */
export function selectExpiring(tags: Exclusion[], conversations: TagConversation[], now: Date, days: number): ExpiringGroup[] {
  const from = now.getTime();
  const until = from + days * 86_400_000;
  const expiring = new Map<string, Exclusion>();
  for (const tag of tags) {
    const at = Date.parse(tag.expiresAtUtc);
    if (tag.expiresAtUtc !== '' && at > from && at <= until) expiring.set(tag.searchKey, tag);
  }
  const groups: ExpiringGroup[] = [];
  for (const conversation of conversations) {
    const mine = conversation.searchKeys.map((k) => expiring.get(k)).filter((t): t is Exclusion => t !== undefined);
    if (mine.length === 0) continue;
    mine.sort((a, b) => Date.parse(a.expiresAtUtc) - Date.parse(b.expiresAtUtc));
    groups.push({ conversation, tags: mine });
  }
  return groups;
}
