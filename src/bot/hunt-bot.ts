import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type BotState,
  type StatePropertyAccessor,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { CardActionRouter } from '../actions/card-action-router';
import { runningCard } from '../cards/run-cards';
import type { CommandRegistry } from '../commands/command-registry';
import type { CommandReply } from '../commands/command-reply';
import type { HuntPromptState } from '../domain/hunt-request';
import type { Requester } from '../domain/requester';
import { commandText as promptCommandText } from '../dialogs/hunt-prompt-steps';
import { commandText } from '../commands/hunt-command';
import { HUNT_PROMPT_DIALOG, HuntPromptDialog } from '../dialogs/hunt-prompt-dialog';
import type { HuntCatalog } from '../hunts/catalog';
import type { Logger } from '../logging/logger';
import type { HuntRun } from '../domain/hunt-run';
import { HuntLimitReached } from '../runs/hunt-limit';
import type { RunService } from '../runs/run-service';
import type { MessageRateLimit, RateDecision } from '../scheduling/message-rate-limit';
import { requesterFromActivity } from './requester';
import { plainText } from '../dialogs/plain-text';
import { updateSharedCard } from './shared-card-update';

/** A question left unanswered this long is dropped quietly on the user's next message. */
export const PROMPT_TIMEOUT_MS = 5 * 60_000;

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
  now?: () => number;
}

interface PromptClock {
  startedAt: number;
}

/** The Teams bot: turns messages into commands, commands into cards and background hunts. */
export class HuntBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly promptClock: StatePropertyAccessor<PromptClock>;
  private readonly now: () => number;

  constructor(private readonly deps: HuntBotDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.dialogState = deps.promptState.createProperty<DialogState>('dialogState');
    this.promptClock = deps.promptState.createProperty<PromptClock>('promptClock');
    this.dialogs = new DialogSet(this.dialogState);
    this.dialogs.add(new HuntPromptDialog(deps.catalog));

    this.onMessage(async (context, next) => {
      const decision = this.rateDecision(context, 'message');
      if (!decision.allowed) {
        if (decision.notice) await context.sendActivity(MessageFactory.text(decision.notice));
        return next();
      }
      await this.handleMessage(context);
      await this.deps.promptState.saveChanges(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const requester = await this.requester(context);
    const submitted = (activity.value ?? {}) as { promptChoice?: unknown; promptUser?: unknown };
    let text: string;
    if (typeof submitted.promptChoice === 'string') {
      if (typeof submitted.promptUser === 'string' && submitted.promptUser !== requester.id) {
        await context.sendActivity('That question was for someone else. Start your own with `hunt`.');
        return;
      }
      text = submitted.promptChoice;
    } else {
      text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    }

    const dialogContext = await this.dialogs.createContext(context);
    if (dialogContext.activeDialog) {
      const clock = await this.promptClock.get(context, { startedAt: 0 });
      const firstWord = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      if (this.now() - clock.startedAt > PROMPT_TIMEOUT_MS) {
        await dialogContext.cancelAllDialogs();
      } else if (firstWord === 'cancel') {
        await dialogContext.cancelAllDialogs();
        await context.sendActivity('Cancelled.');
        return;
      } else if (this.deps.registry.specs().some((s) => s.id === firstWord || s.aliases?.includes(firstWord))) {
        // A fresh command replaces the open question.
        await dialogContext.cancelAllDialogs();
      } else {
        context.activity.text = text;
        // The 5-minute limit counts from the last answer, not from the first question.
        await this.promptClock.set(context, { startedAt: this.now() });
        const result = await dialogContext.continueDialog();
        if (result.status === DialogTurnStatus.complete) {
          await this.routeAndReply(context, promptCommandText(result.result as HuntPromptState), requester);
        }
        return;
      }
    }
    if (text.trim().toLowerCase() === 'cancel') {
      await context.sendActivity('There is nothing to cancel.');
      return;
    }
    await this.routeAndReply(context, text, requester);
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
      case 'ask': {
        await this.promptClock.set(context, { startedAt: this.now() });
        const dialogContext = await this.dialogs.createContext(context);
        const result = await dialogContext.beginDialog(HUNT_PROMPT_DIALOG, reply.prompt);
        if (result.status === DialogTurnStatus.complete) {
          await this.routeAndReply(context, promptCommandText(result.result as HuntPromptState), requester);
        }
        return;
      }
      case 'run-hunt': {
        let run: HuntRun;
        try {
          run = await this.deps.runs.begin(reply.request, requester, commandText(reply.request));
        } catch (error) {
          if (!(error instanceof HuntLimitReached)) throw error;
          await context.sendActivity(MessageFactory.text(error.message));
          return;
        }
        const sent = await context
          .sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(runningCard(run))))
          .catch((error: unknown) => {
            this.deps.runs.abandon(run);
            throw error;
          });
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
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: (decision.notice ?? '') as unknown as Record<string, unknown> };
    }
    const requester = await this.requester(context);
    const messageId = context.activity.replyToId;
    const origin = messageId ? { conversation: TurnContext.getConversationReference(context.activity), activityId: messageId } : undefined;
    const result = await this.deps.actions.dispatch(invokeValue?.action?.verb, invokeValue?.action?.data, requester, origin);
    if (result.forEveryone && messageId) await updateSharedCard(context, messageId, result.forEveryone, this.deps.logger);
    const clicker = result.forClicker;
    if ('card' in clicker) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: clicker.card };
    if ('message' in clicker) {
      return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: clicker.message as unknown as Record<string, unknown> };
    }
    return {
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
      value: { code: 'BadRequest', message: clicker.error },
    };
  }
}
