import type { Logger } from '../logging/logger';
import type { CardPublisher } from '../runs/card-publisher';
import { expiringTagsCard } from '../tags/expiry-card';
import { EXTEND_DAYS, type ExpiryChoiceOutcome, type TagExpiryChoices } from '../tags/expiry-choices';
import type { ExpiryNotice, ExpiryNotices } from '../tags/expiry-notices';
import { userErrorText } from '../text/user-error';
import { TAG_EXPIRY_VERBS } from './card-action-guard';
import type { CardActionOrigin, CardActionResult, CardActionRouter } from './card-action-router';

/**
 * The expiring-tags card's buttons. The guard admits a press (tagger permission, then the card's notice,
 * which must belong to this conversation) before anything is read or written; card data only names the
 * notice and a tag on it. Everyone's card is replaced through `publisher`; the clicker gets it with what happened.
 */
export function registerExpiryActions(router: CardActionRouter, notices: ExpiryNotices, choices: TagExpiryChoices, publisher: CardPublisher, logger: Logger): void {
  const load = async (data: Record<string, unknown>) => (typeof data.noticeId === 'string' ? notices.get(data.noticeId) : undefined);
  const onRefused = ({ reason, actor, data }: { reason: string; actor: Parameters<TagExpiryChoices['recordRefusal']>[0]; data: Record<string, unknown> }) =>
    choices.recordRefusal(actor, typeof data.searchKey === 'string' ? data.searchKey : '?', reason);

  router.onCard<ExpiryNotice>('tags.expiry.extend', {
    ...TAG_EXPIRY_VERBS.extend,
    writes: true,
    load,
    onRefused,
    handle: async ({ card, actor, data, origin }) => {
      const days = Number(data.days);
      if (!(EXTEND_DAYS as readonly number[]).includes(days)) return { forClicker: { message: `Tags can be extended by ${EXTEND_DAYS.join(' or ')} days from this card.` } };
      if (typeof data.searchKey !== 'string') return { forClicker: { message: 'This card action is missing its tag.' } };
      return reply(await choices.extend(card, data.searchKey, days, actor), origin);
    },
  });

  router.onCard<ExpiryNotice>('tags.expiry.letExpire', {
    ...TAG_EXPIRY_VERBS.letExpire,
    writes: true,
    load,
    onRefused,
    handle: async ({ card, actor, data, origin }) => {
      if (typeof data.searchKey !== 'string') return { forClicker: { message: 'This card action is missing its tag.' } };
      return reply(await choices.letExpire(card, data.searchKey, actor), origin);
    },
  });

  async function reply(outcome: ExpiryChoiceOutcome, origin: CardActionOrigin): Promise<CardActionResult> {
    if (!outcome.changed) return { forClicker: { message: outcome.message } };
    const notes = [outcome.message];
    if (origin) {
      await publisher.update(origin, expiringTagsCard(outcome.notice, new Date()), { inTurn: true }).catch((error: unknown) => {
        logger.warn({ event: 'expiry-card-update-failed', noticeId: outcome.notice.noticeId, err: error }, 'could not update the shared expiring-tags card');
        notes.push(`The card could not be updated for everyone (${userErrorText(error, 120)}); the change is kept.`);
      });
    }
    return { forClicker: { card: expiringTagsCard(outcome.notice, new Date(), notes) }, outcome: notes.join(' ') };
  }
}
