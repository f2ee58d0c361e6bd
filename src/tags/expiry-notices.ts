import { randomUUID } from 'node:crypto';
import type { RunConversation } from '../domain/hunt-run';
import { updateState, type StateStore } from '../state/state-store';

/** One tag listed on an expiring-tags card. */
export interface ExpiryNoticeRow {
  searchKey: string;
  huntKey: string;
  deviceName: string;
  /** The expiry the card was posted with. */
  expiresAtUtc: string;
  /** Set once someone extended it or let it expire: the row leaves the card and this line says what happened. */
  settled?: string;
}

/**
 * A posted expiring-tags card, kept server-side like a run: its buttons name only `noticeId` and a search key,
 * and are accepted only in `conversation` and only for rows it lists.
 */
export interface ExpiryNotice {
  noticeId: string;
  conversation: RunConversation;
  /** The bot layer's reference to post and update in that conversation. */
  reference: unknown;
  postedAtUtc: string;
  rows: ExpiryNoticeRow[];
}

const keyOf = (noticeId: string) => `tag-expiry/notices/${noticeId}`;

/** The state store cannot list keys, so the notices kept are indexed here (oldest first) to be deleted later. */
const INDEX_KEY = 'tag-expiry/notice-index';
interface NoticeIndex {
  notices: Array<{ noticeId: string; postedAtUtc: string }>;
}

/**
 * At most this many notices are kept (the oldest go first). In memory run state, src/index.ts reserves room
 * for them, so notices never push the conversations index or the daily lease out of the bounded store.
 */
export const MAX_KEPT_NOTICES = 500;

/** Expiring-tags cards in the shared run state, so any instance can answer a press on any of them. */
export class ExpiryNotices {
  constructor(private readonly state: StateStore) {}

  async create(conversation: RunConversation, reference: unknown, rows: ExpiryNoticeRow[], now: Date): Promise<ExpiryNotice> {
    const notice: ExpiryNotice = { noticeId: randomUUID(), conversation, reference, postedAtUtc: now.toISOString(), rows };
    // Indexed before it is written: a notice is never kept without a way to delete it.
    let dropped: string[] = [];
    await updateState<NoticeIndex>(this.state, INDEX_KEY, (current) => {
      const all = [...(current?.notices ?? []), { noticeId: notice.noticeId, postedAtUtc: notice.postedAtUtc }];
      const cut = Math.max(0, all.length - MAX_KEPT_NOTICES);
      dropped = all.slice(0, cut).map((n) => n.noticeId);
      return { notices: all.slice(cut) };
    });
    for (const id of dropped) await this.state.delete(keyOf(id));
    await this.state.write(keyOf(notice.noticeId), notice, '*new*');
    return notice;
  }

  /** Deletes the notices posted before `postedBefore`; resolves how many. Their buttons then say the card is gone. */
  async deleteOlderThan(postedBefore: Date): Promise<number> {
    let dropped: string[] = [];
    await updateState<NoticeIndex>(this.state, INDEX_KEY, (current) => {
      const all = current?.notices ?? [];
      dropped = all.filter((n) => Date.parse(n.postedAtUtc) < postedBefore.getTime()).map((n) => n.noticeId);
      return { notices: all.filter((n) => !dropped.includes(n.noticeId)) };
    });
    for (const id of dropped) await this.state.delete(keyOf(id));
    return dropped.length;
  }

  /** The notice, or undefined for an id that is not one (card data is not trusted to be well formed). */
  async get(noticeId: string): Promise<ExpiryNotice | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(noticeId)) return undefined;
    return (await this.state.read<ExpiryNotice>(keyOf(noticeId)))?.value;
  }

  /**
   * Marks a row settled unless someone settled it first (ETag-guarded, so two presses at once settle it once).
   * Resolves the notice as stored and whether this call settled the row.
   */
  async settle(noticeId: string, searchKey: string, settled: string): Promise<{ notice: ExpiryNotice; settledNow: boolean }> {
    let settledNow = false;
    const notice = await updateState<ExpiryNotice>(this.state, keyOf(noticeId), (current) => {
      if (!current) throw new Error(`expiry notice ${noticeId} is gone`);
      settledNow = false;
      return {
        ...current,
        rows: current.rows.map((row) => {
          if (row.searchKey !== searchKey || row.settled !== undefined) return row;
          settledNow = true;
          return { ...row, settled };
        }),
      };
    });
    return { notice, settledNow };
  }

  /** Undoes a settle whose write did not land, so the row's buttons work again. */
  async reopen(noticeId: string, searchKey: string): Promise<ExpiryNotice> {
    return updateState<ExpiryNotice>(this.state, keyOf(noticeId), (current) => {
      if (!current) throw new Error(`expiry notice ${noticeId} is gone`);
      return { ...current, rows: current.rows.map((row) => (row.searchKey === searchKey ? { ...row, settled: undefined } : row)) };
    });
  }
}
