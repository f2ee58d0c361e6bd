import { TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type ConversationReference } from 'botbuilder';
import type { CardActionResult, CardActionRouter } from '../actions/card-action-router';
import {
  CARD_ANSWER_MS,
  lateFailureText,
  lateOutcomeText,
  STILL_WORKING_ON_A_CHANGE,
  STILL_WORKING_ON_A_VIEW,
  STILL_WORKING_UNREPORTED,
} from '../actions/late-card-answers';
import { truncate } from '../cards/text';
import { answerInTime } from '../scheduling/answer-in-time';
import type { Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import type { CardTarget } from '../runs/card-publisher';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { RECEIVED_AT } from './server';

export interface CardPressDeps {
  actions: CardActionRouter;
  logger: Logger;
  /** How long a card press may take before it is answered without its result (default CARD_ANSWER_MS). */
  cardAnswerMs?: number;
  /** Posts a plain note into a card's conversation: the outcome of a change that outlasted Teams' wait. */
  notify?: (target: CardTarget, text: string) => Promise<void>;
  /**
   * Runs `work` in a turn of its own in the referenced conversation (a proactive turn; rejects with its error):
   * a pivot's command runs there, after its press was answered. Without it, the command runs in the press's turn.
   */
  inConversation?: (reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<unknown>) => Promise<void>;
}

/** Handles a command as if the presser had typed it in that turn's conversation (the bot's message path). */
export type RouteCommand = (context: TurnContext, command: string, requester: Requester) => Promise<void>;

/**
 * Card presses (Universal Actions invokes): routed by verb, answered within the time Teams waits, and
 * tracked, so a stop waits for those still at work. A press past its budget goes on and, if it changes
 * something, says in the conversation what happened; a pivot's command runs in a turn of its own.
 */
export class CardPresses {
  /** Presses still at work, with the note a late one posts and the command a pivot runs. */
  private readonly working = new Set<Promise<unknown>>();

  constructor(private readonly deps: CardPressDeps) {}

  /** The answer to one press by `requester` (from the authenticated activity). */
  async answer(context: TurnContext, invokeValue: AdaptiveCardInvokeValue, requester: Requester, route: RouteCommand): Promise<AdaptiveCardInvokeResponse> {
    const messageId = context.activity.replyToId;
    const origin = messageId ? { conversation: TurnContext.getConversationReference(context.activity), activityId: messageId } : undefined;
    const verb = invokeValue?.action?.verb;
    const receivedAt = context.turnState.get<number | undefined>(RECEIVED_AT) ?? Date.now();
    const pressed = this.track(this.deps.actions.dispatch(verb, invokeValue?.action?.data, requester, origin));
    const answer = await answerInTime(pressed, (this.deps.cardAnswerMs ?? CARD_ANSWER_MS) - (Date.now() - receivedAt));
    if (!answer.inTime) return messageResponse(this.finishLate(answer.later, verb, requester, origin));
    const result = answer.value;
    // A pivot: the command goes through the registry like a typed message and posts its own card here.
    if (result.command) await this.runPivot(context, result.command, requester, route);
    const clicker = result.forClicker;
    if ('card' in clicker) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: clicker.card };
    if ('message' in clicker) return messageResponse(clicker.message);
    return {
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: clicker.error },
    };
  }

  /**
   * A pivot's command, in a turn of its own after the press is answered: posting its card (which Teams may
   * throttle for up to 30 s) is not part of the press, so the press keeps its answer budget. A failure is
   * said in the conversation with a correlation id, as a typed command's would be.
   */
  private async runPivot(context: TurnContext, command: string, requester: Requester, route: RouteCommand): Promise<void> {
    const inConversation = this.deps.inConversation;
    if (!inConversation) return route(context, command, requester);
    const reference = TurnContext.getConversationReference(context.activity);
    const logger = this.deps.logger;
    this.track(
      inConversation(reference, (turn) => route(turn, command, requester)).catch((error: unknown) => {
        const correlationId = newCorrelationId();
        logger.error({ event: 'pivot-failed', correlationId, err: error }, 'a pivot\'s command failed');
        const note = `Could not run \`${truncate(command, 200)}\`: ${userErrorText(error, 200)} (correlation id ${correlationId})`;
        return this.deps.notify?.({ conversation: reference, activityId: '' }, note).catch((noteError: unknown) =>
          logger.error({ event: 'pivot-note-failed', correlationId, err: noteError }, 'could not say that a pivot failed'),
        );
      }),
    );
  }

  /**
   * Resolves when every card press has finished, a late one with its note posted: a stop (app.close) waits
   * for them before closing the stores, so a press told "what happened will be posted" is not cut off.
   */
  async done(): Promise<void> {
    while (this.working.size > 0) await Promise.allSettled([...this.working]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.working.add(settled);
    void settled.then(() => this.working.delete(settled));
    return work;
  }

  /**
   * A press still at work when Teams would stop waiting: it goes on, and a change (a tag, a bookmark) says in the
   * conversation what happened, since the clicker's answer cannot carry it any more. Returns that answer.
   */
  private finishLate(later: Promise<CardActionResult>, verb: unknown, requester: Requester, origin: CardTarget | undefined): string {
    const writes = this.deps.actions.writes(verb);
    const notify = writes && origin ? this.deps.notify : undefined;
    const logger = this.deps.logger;
    logger.warn({ event: 'card-action-late', verb: String(verb).slice(0, 40), reported: notify !== undefined }, "a card press outlasted Teams' wait for its answer");
    const post = (text: string) =>
      notify?.(origin!, text).catch((error: unknown) => logger.error({ event: 'late-outcome-note-failed', err: error }, 'could not post the outcome of a late card press'));
    this.track(later.then(
      // A refusal answers only the presser (README, card buttons), however long its audit took.
      (result) => (result.refused ? undefined : post(lateOutcomeText(requester.name, result))),
      (error: unknown) => {
        const correlationId = newCorrelationId();
        logger.error({ event: 'card-action-failed-late', correlationId, verb: String(verb).slice(0, 40), err: error }, 'a late card press failed');
        return post(lateFailureText(requester.name, error, correlationId));
      },
    ));
    if (notify) return STILL_WORKING_ON_A_CHANGE;
    return writes ? STILL_WORKING_UNREPORTED : STILL_WORKING_ON_A_VIEW;
  }
}

/** A plain message as the answer to a card press (Teams shows it to the clicker). */
export function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as Record<string, unknown> };
}
