import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type BotState,
} from 'botbuilder';
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
import { CardPresses, messageResponse, type CardPressDeps } from './card-presses';

export interface HuntBotDeps extends CardPressDeps {
  registry: CommandRegistry;
  catalog: HuntCatalog;
  runs: RunService;
  /** Per user and conversation (PrivateConversationState), so a question is scoped to whoever was asked. */
  promptState: BotState;
  logger: Logger;
  /** Messages and card presses per person and conversation; over it, a flood is not processed. */
  rateLimit?: MessageRateLimit;
  /** Look the sender's UPN up from Teams (only when the authorization policy names people by UPN). */
  lookUpUpn?: boolean;
  /** The clock of the questions' time limit. */
  now?: () => number;
}

/** The Teams bot: turns messages into commands, commands into cards and background hunts. */
export class HuntBot extends TeamsActivityHandler {
  private readonly prompts: HuntPrompts;
  private readonly presses: CardPresses;

  constructor(private readonly deps: HuntBotDeps) {
    super();
    this.presses = new CardPresses(deps);
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
    return this.presses.answer(context, invokeValue, requester, (turn, command, who) => this.routeAndReply(turn, command, who));
  }

  /** Resolves when every card press has finished (a late one with its note posted, a pivot with its command): a stop waits for them. */
  pressesDone(): Promise<void> {
    return this.presses.done();
  }
}
