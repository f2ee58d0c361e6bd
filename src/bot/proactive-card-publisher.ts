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

  async update(target: CardTarget, card: AdaptiveCardJson): Promise<void> {
    const reference = target.conversation as Partial<ConversationReference>;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      await context.updateActivity({
        type: 'message',
        id: target.activityId,
        attachments: [CardFactory.adaptiveCard(card)],
      });
    });
  }
}
