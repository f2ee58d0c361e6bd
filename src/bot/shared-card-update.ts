import { ActivityTypes, CardFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { Logger } from '../logging/logger';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { IN_TURN_CARD_PUT, putCardWithRetry } from './card-put-retry';

/**
 * Updates the card everyone sees after a card action, inside the invoke turn (so with a short
 * retry budget: the clicker is waiting). If Teams keeps refusing, the clicker still gets their own
 * answer, and the conversation gets one plain note instead of a generic turn error.
 */
export async function updateSharedCard(context: TurnContext, messageId: string, card: AdaptiveCardJson, logger: Logger): Promise<void> {
  try {
    await putCardWithRetry(
      () => context.updateActivity({ type: ActivityTypes.Message, id: messageId, attachments: [CardFactory.adaptiveCard(card)] }),
      IN_TURN_CARD_PUT,
      { onRetry: (event) => logger.warn({ event: 'card-update-retry', activityId: messageId, ...event }, 'Teams refused a card update; retrying') },
    );
  } catch (error) {
    const correlationId = newCorrelationId();
    logger.error({ event: 'shared-card-update-failed', correlationId, activityId: messageId, err: error }, 'could not update the shared card');
    await context
      .sendActivity({
        type: ActivityTypes.Message,
        textFormat: 'plain',
        text: `Could not update the shared card for everyone: ${userErrorText(error, 120)}. Your change is kept and shows in the next run of this hunt. (correlation id ${correlationId})`,
      })
      .catch((noteError: unknown) => logger.error({ event: 'card-note-failed', correlationId, err: noteError }, 'could not post the card-update note either'));
  }
}
