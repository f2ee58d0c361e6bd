import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { CardPublisher, CardTarget } from '../runs/card-publisher';

/**
 * Replaces a posted card after its turn has ended: a new proactive turn from the stored
 * conversation reference, never the old TurnContext (it is revoked when the turn ends).
 */
export class ProactiveCardPublisher implements CardPublisher {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  /** Rejects when the connector refused the update, so callers can say so. */
  async update(target: CardTarget, card: AdaptiveCardJson): Promise<void> {
    const reference = target.conversation as Partial<ConversationReference>;
    // An error thrown inside the proactive turn goes to the adapter's onTurnError (which posts "Sorry, something went
    // wrong" into the channel) and continueConversationAsync resolves; so it is caught here and rethrown outside.
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await context.updateActivity({
          type: 'message',
          id: target.activityId,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw failure.error;
  }
}
