import type { Authorizer } from '../commands/command-registry';
import type { Permission, Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import type { HuntRun, RunConversation } from '../domain/hunt-run';

/**
 * Who may press a card button: anyone allowed to hunt where they are, only taggers, or only the person
 * who started the run. Every verb declares one; there is no "anyone".
 */
export type CardActionAccess = 'hunt' | 'tag' | 'requester';

export const CARD_ACTION_ACCESS: readonly CardActionAccess[] = ['hunt', 'tag', 'requester'];

export function isCardActionAccess(value: unknown): value is CardActionAccess {
  return CARD_ACTION_ACCESS.includes(value as CardActionAccess);
}

/** What the guard needs to know about a verb. */
export interface GuardedVerb {
  access: CardActionAccess;
  /** What pressing the button does, for the refusal: "tag hits" → "Sorry, you can't tag hits here: …". */
  doing: string;
}

/** Verbs of the expiring-tags card (src/actions/expiry-actions.ts): they write tags, so taggers only. */
export const TAG_EXPIRY_VERBS = {
  extend: { access: 'tag', doing: 'extend tags' },
  letExpire: { access: 'tag', doing: 'decide on expiring tags' },
} as const satisfies Record<string, GuardedVerb>;

/** A card bound to its conversation by a server-side record other than a run (the expiring-tags card). */
export interface ConversationBoundCard {
  conversation: RunConversation;
}

export type CardAdmission<T> =
  | { admitted: true; card: T }
  | { admitted: false; message: string; refusal?: Omit<CardActionRefusal, 'run'> };

export interface RunLookup {
  get(runId: string): Promise<HuntRun | undefined>;
}

/** Why an action was refused, for the audit trail; `run` is set when the named run exists. */
export interface CardActionRefusal {
  reason: string;
  runId?: string;
  run?: HuntRun;
}

export type Admission =
  | { admitted: true; run: HuntRun }
  /** `refusal` is set for a refusal (audited); absent when the card is merely stale or malformed. */
  | { admitted: false; message: string; refusal?: CardActionRefusal };

/**
 * The one place that decides whether this person may do this verb on this run. The permission is checked
 * from the authenticated requester before the run is read for the action (so a refused person gets nothing
 * from it, whatever state the run is in); then the run is loaded once, and it must belong to the conversation
 * the button was pressed in. Handlers get the admitted run and never look it up again.
 */
export class CardActionGuard {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly runs: RunLookup,
    private readonly logger: Logger,
  ) {}

  async admit(verb: GuardedVerb, actor: Requester, runId: unknown): Promise<Admission> {
    if (!isCardActionAccess(verb.access)) {
      return this.refuse(actor, 'This card action has no declared permission, so it is refused.', 'verb-without-permission', {});
    }
    const permission: Permission = verb.access === 'tag' ? 'tag' : 'hunt';
    const decision = this.authorizer.check(actor, permission);
    if (!decision.allowed) {
      // The policy has logged it. The tag audit names the hunt and device, so for tag verbs the run is read
      // to name them there; nothing from it goes into the reply.
      const run = verb.access === 'tag' && typeof runId === 'string' ? await this.runs.get(runId).catch(() => undefined) : undefined;
      return { admitted: false, message: `Sorry, you can't ${verb.doing} here: ${decision.reason}`, refusal: { reason: decision.reason, runId: idOf(runId), run } };
    }

    if (typeof runId !== 'string') return { admitted: false, message: 'This card action is missing its run.' };
    const run = await this.runs.get(runId);
    if (!run) {
      return { admitted: false, message: 'This result is no longer available (the bot keeps recent runs only). Run the hunt again.' };
    }

    const where = run.conversation;
    if (!where?.id) {
      return this.refuse(
        actor,
        'This card is from before the bot recorded where each hunt runs, so its buttons no longer work. Run the hunt again.',
        'run-without-conversation',
        { runId, run },
      );
    }
    if (!sameConversation(where.id, actor.conversationId) || where.tenantId.toLowerCase() !== actor.tenantId.toLowerCase()) {
      return this.refuse(
        actor,
        'This card belongs to another conversation\'s hunt; its buttons work only where the hunt was run.',
        'run-from-another-conversation',
        { runId, run },
      );
    }
    if (verb.access === 'requester' && personOf(run.requestedBy) !== personOf(actor)) {
      return this.refuse(actor, 'Only the person who started this hunt may do that.', 'not-the-requester', { runId, run });
    }
    return { admitted: true, run };
  }

  /**
   * As admit, for a card bound to a record that is not a run: permission first (from the authenticated
   * requester, before the record is read), then the record, which must belong to this conversation.
   */
  async admitCard<T extends ConversationBoundCard>(verb: GuardedVerb, actor: Requester, load: () => Promise<T | undefined>): Promise<CardAdmission<T>> {
    if (!isCardActionAccess(verb.access)) {
      this.refuse(actor, '', 'verb-without-permission', {});
      return { admitted: false, message: 'This card action has no declared permission, so it is refused.', refusal: { reason: 'verb-without-permission' } };
    }
    const decision = this.authorizer.check(actor, verb.access === 'tag' ? 'tag' : 'hunt');
    if (!decision.allowed) return { admitted: false, message: `Sorry, you can't ${verb.doing} here: ${decision.reason}`, refusal: { reason: decision.reason } };
    const card = await load();
    if (!card) return { admitted: false, message: 'This card is no longer available; its buttons no longer work.' };
    if (!sameConversation(card.conversation.id, actor.conversationId) || card.conversation.tenantId.toLowerCase() !== actor.tenantId.toLowerCase()) {
      this.refuse(actor, '', 'card-from-another-conversation', {});
      return {
        admitted: false,
        message: 'This card belongs to another conversation; its buttons work only where it was posted.',
        refusal: { reason: 'card-from-another-conversation' },
      };
    }
    return { admitted: true, card };
  }

  private refuse(actor: Requester, message: string, reason: string, about: Omit<CardActionRefusal, 'reason'>): Admission {
    this.logger.warn(
      {
        event: 'denied',
        reason,
        runId: about.runId ?? '',
        user: personOf(actor),
        tenant: actor.tenantId,
        conversationId: actor.conversationId,
        runConversationId: about.run?.conversation?.id ?? '',
      },
      'card action refused',
    );
    return { admitted: false, message, refusal: { ...about, reason } };
  }
}

/**
 * Teams threads a channel conversation as `<channel>;messageid=<root>`; the channel is what decides who can
 * see a card, so two threads of one channel are one conversation here.
 */
function sameConversation(recorded: string, current: string): boolean {
  const base = (id: string) => id.replace(/;messageid=.*$/i, '');
  return current !== '' && base(recorded) === base(current);
}

function personOf(who: { aadObjectId: string; id: string }): string {
  return who.aadObjectId || who.id;
}

/** A run id from card data, only if it has the shape of one (it may go into logs and the audit trail). */
function idOf(runId: unknown): string | undefined {
  return typeof runId === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(runId) ? runId : undefined;
}
