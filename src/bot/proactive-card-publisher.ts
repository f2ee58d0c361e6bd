import { ActivityTypes, CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { CardPublisher, CardTarget, CardUpdateOptions } from '../runs/card-publisher';
import type { ProactiveCardPoster } from '../tags/expiry-job';
import type { Logger } from '../logging/logger';
import { BACKGROUND_CARD_PUT, IN_TURN_CARD_PUT, putCardWithRetry, type CardPutRetryOptions } from './card-put-retry';

/**
 * Replaces a posted card after its turn has ended: a new proactive turn from the stored
 * conversation reference, never the old TurnContext (it is revoked when the turn ends). Teams'
 * 429/5xx answers are retried (card-put-retry.ts); a final failure rejects with CardUpdateFailed.
 */
export class ProactiveCardPublisher implements CardPublisher, ProactiveCardPoster {
  /** The newest update asked for per card: an older one still retrying gives up rather than overwrite it. */
  private readonly latest = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly logger?: Logger,
    private readonly retry: CardPutRetryOptions = BACKGROUND_CARD_PUT,
  ) {}

  /** Rejects when the connector refused the update, so callers can say so. */
  async update(target: CardTarget, card: AdaptiveCardJson, options: CardUpdateOptions = {}): Promise<void> {
    const reference = target.conversation as Partial<ConversationReference>;
    const id = target.activityId;
    const mine = ++this.sequence;
    this.latest.set(id, mine);
    try {
      await putCardWithRetry(
        async () => {
          if (this.latest.get(id) !== mine) return;
          await this.inProactiveTurn(reference, (context) =>
            context.updateActivity({ type: 'message', id, attachments: [CardFactory.adaptiveCard(card)] }),
          );
        },
        options.inTurn ? IN_TURN_CARD_PUT : this.retry,
        {
          onRetry: (event) => this.logger?.warn({ event: 'card-update-retry', activityId: id, ...event }, 'Teams refused a card update; retrying'),
        },
      );
    } finally {
      if (this.latest.get(id) === mine) this.latest.delete(id);
    }
  }

  /** Posts a new card into the conversation of a stored reference (a proactive message); resolves the new activity's id. */
  async post(reference: unknown, card: AdaptiveCardJson): Promise<string> {
    let id = '';
    await this.inProactiveTurn(reference as Partial<ConversationReference>, async (context) => {
      id = (await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] }))?.id ?? '';
    });
    return id;
  }

  /** Posts a short plain-text message into the card's conversation (nothing in it is read as markdown). */
  async notify(target: CardTarget, text: string): Promise<void> {
    await this.inProactiveTurn(target.conversation as Partial<ConversationReference>, (context) =>
      context.sendActivity({ type: ActivityTypes.Message, textFormat: 'plain', text }),
    );
  }

  /**
   * Runs `work` in a proactive turn and rejects with its error. The adapter would otherwise hand the
   * error to onTurnError (BotAdapter.runMiddleware), which answers in the channel as if a user's
   * message had failed, and the caller would believe the update went through.
   */
  async inProactiveTurn(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<unknown>): Promise<void> {
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
