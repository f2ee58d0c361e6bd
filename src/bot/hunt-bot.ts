import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type ConversationReference,
  type AdaptiveCardInvokeValue,
  type BotState,
} from 'botbuilder';
import type { CardActionResult, CardActionRouter } from '../actions/card-action-router';
import {
  answerInTime,
  CARD_ANSWER_MS,
  lateFailureText,
  lateOutcomeText,
  STILL_WORKING_ON_A_CHANGE,
  STILL_WORKING_ON_A_VIEW,
  STILL_WORKING_UNREPORTED,
} from '../actions/late-card-answers';
import type { CardTarget } from '../runs/card-publisher';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { truncate } from '../cards/text';
import { runningCard } from '../cards/run-cards';
import type { CommandRegistry } from '../commands/command-registry';
import type { CommandReply } from '../commands/command-reply';
import type { Requester } from '../domain/requester';
import { reproducingCommand } from '../commands/hunt-command';
import { HuntPrompts, type PromptTurn } from '../dialogs/hunt-prompts';
import type { HuntCatalog } from '../hunts/catalog';
import type { Logger } from '../logging/logger';
import type { RunningHuntRun } from '../domain/hunt-run';
import { HuntLimitReached } from '../runs/hunt-limit';
import type { RunService } from '../runs/run-service';
import type { MessageRateLimit, RateDecision } from '../scheduling/message-rate-limit';
import { requesterFromActivity } from './requester';
import { RECEIVED_AT } from './server';
import { plainText } from '../dialogs/plain-text';

export interface HuntBotDeps {
  registry: CommandRegistry;
  catalog: HuntCatalog;
  runs: RunService;
  actions: CardActionRouter;
  /** Per user and conversation (PrivateConversationState), so a question is scoped to whoever was asked. */
  promptState: BotState;
  logger: Logger;
  /** Messages and card presses per person and conversation; over it, a flood is not processed. */
  rateLimit?: MessageRateLimit;
  /** Look the sender's UPN up from Teams (only when the authorization policy names people by UPN). */
  lookUpUpn?: boolean;
  /** The clock of the questions' time limit. */
  now?: () => number;
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

/** The Teams bot: turns messages into commands, commands into cards and background hunts. */
export class HuntBot extends TeamsActivityHandler {
  private readonly prompts: HuntPrompts;
  /** Card presses still at work, with the note a late one posts: a stop waits for them (pressesDone). */
  private readonly presses = new Set<Promise<unknown>>();

  constructor(private readonly deps: HuntBotDeps) {
    super();
    this.prompts = new HuntPrompts({ catalog: deps.catalog, state: deps.promptState, commands: () => deps.registry.specs(), now: deps.now });

    this.onMessage(async (context, next) => {
      const decision = this.rateDecision(context, 'message');
      if (!decision.allowed) {
        if (decision.notice) await context.sendActivity(MessageFactory.text(decision.notice));
        return next();
      }
      const requester = await this.requester(context);
      try {
        // An open question sees the message first (answer, cancel, timeout, a new command replacing it).
        await this.runIfCommand(context, await this.prompts.receive(context), requester);
        await this.deps.promptState.saveChanges(context);
      } catch (error) {
        this.prompts.turnNotSaved(context);
        throw error;
      }
      await next();
    });
  }

  /** Checked before anything else (no state, store or member look-up), so a flood costs next to nothing. */
  private rateDecision(context: TurnContext, kind: 'message' | 'press'): RateDecision {
    if (!this.deps.rateLimit) return { allowed: true };
    const { from, conversation } = context.activity;
    return this.deps.rateLimit.check({ userKey: from?.aadObjectId || from?.id || '', conversationId: conversation?.id ?? '' }, kind);
  }

  /** The sender, from the authenticated activity; the UPN from Teams' member API when a policy needs it. */
  private async requester(context: TurnContext): Promise<Requester> {
    const requester = requesterFromActivity(context.activity);
    if (this.deps.lookUpUpn && requester.id) {
      try {
        const member = await TeamsInfo.getMember(context, requester.id);
        requester.upn = member.userPrincipalName ?? member.email ?? undefined;
      } catch (error) {
        this.deps.logger.warn({ event: 'member-lookup-failed', err: error }, 'could not look up the sender\'s UPN');
      }
    }
    return requester;
  }

  private async runIfCommand(context: TurnContext, turn: PromptTurn, requester: Requester): Promise<void> {
    if (turn.kind === 'command') await this.routeAndReply(context, turn.text, requester);
  }

  private async routeAndReply(context: TurnContext, text: string, requester: Requester): Promise<void> {
    const reply = await this.deps.registry.route(text, requester);
    await this.deliver(context, reply, requester);
  }

  private async deliver(context: TurnContext, reply: CommandReply, requester: Requester): Promise<void> {
    switch (reply.kind) {
      case 'text':
        await context.sendActivity(plainText(reply.text));
        return;
      case 'card':
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.summary));
        return;
      case 'ask':
        await this.runIfCommand(context, await this.prompts.ask(context, reply.prompt), requester);
        return;
      case 'run-hunt': {
        let run: RunningHuntRun;
        try {
          run = await this.deps.runs.begin(reply.request, requester, reproducingCommand(reply.request));
        } catch (error) {
          if (!(error instanceof HuntLimitReached)) throw error;
          await context.sendActivity(MessageFactory.text(error.message));
          return;
        }
        const replyStarted = performance.now();
        const sent = await context
          .sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(runningCard(run))))
          .catch((error: unknown) => {
            this.deps.runs.abandon(run);
            throw error;
          });
        this.deps.runs.recordPhase('reply', performance.now() - replyStarted);
        const receivedAt = context.turnState.get<number | undefined>(RECEIVED_AT);
        if (receivedAt !== undefined) this.deps.runs.recordPhase('turn', Date.now() - receivedAt);
        if (!sent?.id) {
          this.deps.runs.abandon(run);
          throw new Error('the channel did not return an id for the running card');
        }
        const reference = TurnContext.getConversationReference(context.activity);
        this.deps.runs.finishInBackground(run, reply.request, { conversation: reference, activityId: sent.id, label: run.title });
        return;
      }
    }
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const decision = this.rateDecision(context, 'press');
    if (!decision.allowed) {
      // Teams waits for an answer to every invoke: a refusal, never silence.
      return messageResponse(decision.notice ?? '');
    }
    const requester = await this.requester(context);
    const messageId = context.activity.replyToId;
    const origin = messageId ? { conversation: TurnContext.getConversationReference(context.activity), activityId: messageId } : undefined;
    const verb = invokeValue?.action?.verb;
    const receivedAt = context.turnState.get<number | undefined>(RECEIVED_AT) ?? Date.now();
    const pressed = this.track(this.deps.actions.dispatch(verb, invokeValue?.action?.data, requester, origin));
    const answer = await answerInTime(pressed, (this.deps.cardAnswerMs ?? CARD_ANSWER_MS) - (Date.now() - receivedAt));
    if (!answer.inTime) return messageResponse(this.finishLate(answer.later, verb, requester, origin));
    const result = answer.value;
    // A pivot: the command goes through the registry like a typed message and posts its own card here.
    if (result.command) await this.runPivot(context, result.command, requester);
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
  private async runPivot(context: TurnContext, command: string, requester: Requester): Promise<void> {
    const inConversation = this.deps.inConversation;
    if (!inConversation) return this.routeAndReply(context, command, requester);
    const reference = TurnContext.getConversationReference(context.activity);
    const logger = this.deps.logger;
    this.track(
      inConversation(reference, (turn) => this.routeAndReply(turn, command, requester)).catch((error: unknown) => {
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
  async pressesDone(): Promise<void> {
    while (this.presses.size > 0) await Promise.allSettled([...this.presses]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.presses.add(settled);
    void settled.then(() => this.presses.delete(settled));
    return work;
  }

  /**
   * A press still at work when Teams would stop waiting: it goes on, and a change (a tag, a bookmark) says in the
   * conversation what happened, since the clicker's answer cannot carry it any more. Returns that answer.
   */
  private finishLate(later: Promise<CardActionResult>, verb: unknown, requester: Requester, origin: CardTarget | undefined): string {
    const declared = this.deps.actions.declaration(verb);
    const notify = declared?.writes && origin ? this.deps.notify : undefined;
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
    return declared?.writes ? STILL_WORKING_UNREPORTED : STILL_WORKING_ON_A_VIEW;
  }
}

/** A plain message as the answer to a card press (Teams shows it to the clicker). */
function messageResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text as unknown as Record<string, unknown> };
}
