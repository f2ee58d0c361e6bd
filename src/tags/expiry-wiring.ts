import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { Requester } from '../domain/requester';
import type { CardTarget } from '../runs/card-publisher';
import { DailyJobTimer } from '../scheduling/daily-job-timer';
import { DailyLease } from '../scheduling/daily-lease';
import type { StateStore } from '../state/state-store';
import type { ExclusionStore } from '../stores/exclusion-store';
import { TagExpiryChoices } from './expiry-choices';
import { TagConversations } from './expiry-conversations';
import { TagExpiryJob, type ExpiryJobOutcome, type ProactiveCardPoster } from './expiry-job';
import { ExpiryNotices } from './expiry-notices';

/** How long one instance holds the daily job before another may take it over (a crashed holder). */
const LEASE_MS = 10 * 60_000;

/** Called after a tag save landed, with where it was made. */
export type TagSavedHook = (searchKey: string, actor: Requester, origin: CardTarget) => Promise<void>;

export interface TagExpiryNotices {
  /** For registerResultActions: keeps where each tag was saved. */
  onTagSaved: TagSavedHook;
  /** For registerExpiryActions: the posted cards and what their buttons do. */
  notices: ExpiryNotices;
  choices: TagExpiryChoices;
  /** Runs the daily job now (the timer calls it from HUNT_EXPIRY_NOTICE_HOUR_UTC on; tests call it directly). */
  run(now?: Date): Promise<ExpiryJobOutcome>;
  start(): void;
  stop(): void;
}

/** The "tags about to expire" feature: conversation references, the daily job under a lease, what the card's buttons do. */
export function wireTagExpiryNotices(deps: {
  config: AppConfig['tagExpiry'];
  state: StateStore;
  store: ExclusionStore;
  poster: ProactiveCardPoster;
  logger: Logger;
}): TagExpiryNotices {
  const { config, state, store, poster, logger } = deps;
  const conversations = new TagConversations(state, logger);
  const notices = new ExpiryNotices(state);
  const lease = new DailyLease(state, 'tag-expiry/daily-lease', `instance-${randomUUID()}`, LEASE_MS);
  const job = new TagExpiryJob({ store, conversations, notices, lease, poster, logger, days: config.noticeDays });
  const timer = new DailyJobTimer(config.noticeHourUtc, (now) => job.run(now), (error) =>
    logger.error({ event: 'tag-expiry-job-failed', err: error }, 'the daily expiring-tags job failed'),
  );
  return {
    onTagSaved: (searchKey, actor, origin) => conversations.remember(searchKey, { id: actor.conversationId, tenantId: actor.tenantId }, origin.conversation),
    notices,
    choices: new TagExpiryChoices(store, notices, logger),
    run: (now = new Date()) => job.run(now),
    start: () => {
      if (config.daily) timer.start();
    },
    stop: () => timer.stop(),
  };
}
