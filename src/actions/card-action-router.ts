import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import type { HuntRun } from '../domain/hunt-run';
import type { CardTarget } from '../runs/card-publisher';
import {
  isCardActionAccess,
  type CardActionGuard,
  type CardActionRefusal,
  type ConversationBoundCard,
  type GuardedVerb,
} from './card-action-guard';

/**
 * What a card button press produces: a card (or a short message) for the person who pressed it. The shared
 * card everyone sees is only ever changed by the handlers' own publishers (tag refresh, paging), never here.
 */
export interface CardActionResult {
  forClicker: { card: AdaptiveCardJson } | { message: string } | { error: string };
  /**
   * A command the bot then handles as if the presser had typed it in this conversation (a pivot's lookup):
   * it goes through the registry's parsing, validation and permission check like any message.
   */
  command?: string;
  /**
   * What the press changed (or failed to), in one plain sentence: posted to the conversation when the press
   * took longer than Teams waits for its answer (late-card-answers.ts). Handlers of verbs that write set it.
   */
  outcome?: string;
  /** Set by the guard's refusal (permission, conversation, stale card): it answers only the presser, never the conversation. */
  refused?: true;
}

/** Declared by verbs whose press changes something (a tag, a bookmark, a hunt started or cancelled). */
interface ChangingVerb {
  /** When such a press outlasts Teams' wait, its outcome is posted to the conversation instead of being lost. */
  writes?: boolean;
}

/** The card the button was pressed on, so a handler can start work that later updates it. */
export type CardActionOrigin = CardTarget | undefined;

/** A press the guard has admitted: the person may do this verb on this run, which is already loaded. */
export interface AdmittedAction {
  run: HuntRun;
  actor: Requester;
  data: Record<string, unknown>;
  origin: CardActionOrigin;
}

/** A refused press, for the verb's own audit trail (the tag audit for tag verbs). */
export interface RefusedAction extends CardActionRefusal {
  actor: Requester;
  data: Record<string, unknown>;
}

/** A verb: the permission it needs, and what it does once admitted. */
export interface CardActionSpec extends GuardedVerb, ChangingVerb {
  handle(action: AdmittedAction): Promise<CardActionResult>;
  onRefused?(refusal: RefusedAction): Promise<void>;
}

/** A verb on a card bound to a server-side record other than a run (see CardActionGuard.admitCard). */
export interface CardBoundSpec<T extends ConversationBoundCard> extends GuardedVerb, ChangingVerb {
  /** The record the card data names; undefined when there is none. */
  load(data: Record<string, unknown>): Promise<T | undefined>;
  handle(action: { card: T; actor: Requester; data: Record<string, unknown>; origin: CardActionOrigin }): Promise<CardActionResult>;
  onRefused?(refusal: { reason: string; actor: Requester; data: Record<string, unknown> }): Promise<void>;
}

/**
 * Routes `Action.Execute` presses by dotted verb (`hit.tag`, `results.page`), as teams-ai does. Every press
 * goes through the guard before its handler runs; a refusal is only ever a message to the person who pressed,
 * never a change to a shared card.
 */
export class CardActionRouter {
  private readonly specs = new Map<string, CardActionSpec>();
  private readonly cardSpecs = new Map<string, (actor: Requester, data: Record<string, unknown>, origin: CardActionOrigin) => Promise<CardActionResult>>();
  /** The verbs declared `writes`, for answers that come too late. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly guard: CardActionGuard,
    private readonly logger: Logger,
  ) {}

  on(verb: string, spec: CardActionSpec): this {
    if (this.specs.has(verb) || this.cardSpecs.has(verb)) throw new Error(`card action "${verb}" is registered twice`);
    if (!isCardActionAccess(spec.access)) throw new Error(`card action "${verb}" declares no permission`);
    this.specs.set(verb, spec);
    if (spec.writes) this.writing.add(verb);
    return this;
  }

  /** Registers a verb of a card that is not a run's; admitted by the guard the same way (permission, then conversation). */
  onCard<T extends ConversationBoundCard>(verb: string, spec: CardBoundSpec<T>): this {
    if (this.specs.has(verb) || this.cardSpecs.has(verb)) throw new Error(`card action "${verb}" is registered twice`);
    if (!isCardActionAccess(spec.access)) throw new Error(`card action "${verb}" declares no permission`);
    if (spec.writes) this.writing.add(verb);
    this.cardSpecs.set(verb, async (actor, data, origin) => {
      const admission = await this.guard.admitCard(spec, actor, () => spec.load(data));
      if (admission.admitted) return spec.handle({ card: admission.card, actor, data, origin });
      if (admission.refusal && spec.onRefused) {
        await spec.onRefused({ reason: admission.refusal.reason, actor, data }).catch((error: unknown) =>
          this.logger.error({ event: 'refusal-audit-failed', verb, err: error }, 'could not record a refused card action'),
        );
      }
      return { forClicker: { message: admission.message }, refused: true };
    });
    return this;
  }

  /** Whether the verb is registered as one that changes something. */
  writes(verb: unknown): boolean {
    return typeof verb === 'string' && this.writing.has(verb);
  }

  verbs(): string[] {
    return [...this.specs.keys(), ...this.cardSpecs.keys()];
  }

  /** Never throws for an unknown verb or a refusal; those become a reply to the clicker. */
  async dispatch(verb: unknown, data: unknown, actor: Requester, origin?: CardActionOrigin): Promise<CardActionResult> {
    const spec = typeof verb === 'string' ? this.specs.get(verb) : undefined;
    const payload = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    const cardVerb = typeof verb === 'string' ? this.cardSpecs.get(verb) : undefined;
    if (cardVerb) return cardVerb(actor, payload, origin);
    if (!spec) return { forClicker: { error: `Unknown card action "${String(verb).slice(0, 40)}".` } };
    const admission = await this.guard.admit(spec, actor, payload.runId);
    if (!admission.admitted) {
      if (admission.refusal && spec.onRefused) {
        await spec.onRefused({ ...admission.refusal, actor, data: payload }).catch((error: unknown) =>
          this.logger.error({ event: 'refusal-audit-failed', verb, err: error }, 'could not record a refused card action'),
        );
      }
      return { forClicker: { message: admission.message }, refused: true };
    }
    return spec.handle({ run: admission.run, actor, data: payload, origin });
  }
}
