import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { Logger } from '../logging/logger';
import type { DailyLease } from '../scheduling/daily-lease';
import type { ExclusionStore } from '../stores/exclusion-store';
import { expiringTagsCard } from './expiry-card';
import type { TagConversations } from './expiry-conversations';
import type { ExpiryNotices } from './expiry-notices';
import { selectExpiring } from './expiry-selection';

/** Rows per card: Teams refuses messages over about 28 KB, and a short card is what gets read. More go on further cards. */
export const ROWS_PER_CARD = 20;

/** Posts a new card into a conversation outside any turn (the bot layer: a proactive message). Resolves its activity id. */
export interface ProactiveCardPoster {
  post(reference: unknown, card: AdaptiveCardJson): Promise<string>;
}

export type ExpiryJobOutcome =
  | { kind: 'posted'; cards: number; failed: number }
  | { kind: 'skipped'; reason: 'held-elsewhere' | 'already-done' };

export interface TagExpiryJobDeps {
  store: ExclusionStore;
  conversations: TagConversations;
  notices: ExpiryNotices;
  lease: DailyLease;
  poster: ProactiveCardPoster;
  logger: Logger;
  /** Tags expiring within this many days are listed. */
  days: number;
}

/** Days after the notice window that a posted card's buttons still answer. */
export const NOTICE_GRACE_DAYS = 7;

/**
 * The daily "tags about to expire" job. Every instance may call it; the lease lets one run it per UTC day.
 * Nothing is posted where nothing expires. A conversation the bot can no longer post into is logged and
 * skipped; the day still counts as done so the others are not posted twice.
 */
export class TagExpiryJob {
  constructor(private readonly deps: TagExpiryJobDeps) {}

  async run(now: Date): Promise<ExpiryJobOutcome> {
    const { lease, logger } = this.deps;
    const claim = await lease.claim(now);
    if (claim.kind !== 'won') {
      logger.info({ event: 'tag-expiry-job-skipped', reason: claim.kind }, 'tag expiry job: nothing to do on this instance');
      return { kind: 'skipped', reason: claim.kind };
    }
    let outcome: ExpiryJobOutcome;
    try {
      await this.deleteOldNotices(now);
      outcome = await this.postAll(now);
    } catch (error) {
      // Could not even read the tags: let the lease go so the next tick (any instance) tries again.
      logger.error({ event: 'tag-expiry-job-failed', err: error }, 'tag expiry job failed; it is retried on the next tick');
      await lease.release(claim, new Date());
      throw error;
    }
    await lease.complete(claim, new Date()).catch((error: unknown) =>
      logger.warn({ event: 'tag-expiry-lease-lost', err: error }, 'tag expiry job finished but its lease had been taken over'),
    );
    logger.info({ event: 'tag-expiry-job-done', ...outcome }, `tag expiry job posted ${outcome.kind === 'posted' ? outcome.cards : 0} card(s)`);
    return outcome;
  }

  /** A notice's tags have all expired or been decided `days` after it was posted; its buttons get a grace period more. */
  private async deleteOldNotices(now: Date): Promise<void> {
    const { notices, logger, days } = this.deps;
    try {
      const deleted = await notices.deleteOlderThan(new Date(now.getTime() - (days + NOTICE_GRACE_DAYS) * 86_400_000));
      if (deleted > 0) logger.info({ event: 'tag-expiry-notices-deleted', deleted }, `deleted ${deleted} old expiring-tags notice(s)`);
    } catch (error) {
      logger.warn({ event: 'tag-expiry-notices-not-deleted', err: error }, 'could not delete old expiring-tags notices; tried again tomorrow');
    }
  }

  private async postAll(now: Date): Promise<ExpiryJobOutcome> {
    const { store, conversations, notices, poster, logger, days } = this.deps;
    const groups = selectExpiring(await store.list(), await conversations.all(), now, days);
    let cards = 0;
    let failed = 0;
    for (const group of groups) {
      const all = group.tags.map((t) => ({ searchKey: t.searchKey, huntKey: t.huntKey, deviceName: t.deviceName, expiresAtUtc: t.expiresAtUtc }));
      for (let from = 0; from < all.length; from += ROWS_PER_CARD) {
        const rows = all.slice(from, from + ROWS_PER_CARD);
        try {
          const notice = await notices.create(group.conversation.conversation, group.conversation.reference, rows, now);
          await poster.post(notice.reference, expiringTagsCard(notice, now));
          cards++;
        } catch (error) {
          failed++;
          logger.warn({ event: 'tag-expiry-card-failed', conversationId: group.conversation.conversation.id, err: error }, 'could not post the expiring-tags card');
        }
      }
    }
    return { kind: 'posted', cards, failed };
  }
}
