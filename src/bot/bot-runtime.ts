import {
  ActivityTypes,
  CloudAdapter,
  MemoryStorage,
  PrivateConversationState,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Logger } from '../logging/logger';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { ReusedConnectorClientsAuthentication } from './reused-connector-clients';

/**
 * The Bot Framework adapter: inbound tokens checked from the standard Microsoft* settings (AppConfig.bot.sdkSettings),
 * connector clients reused across turns, turn errors logged and answered.
 */
export function createBotAdapter(sdkSettings: ConfigurationBotFrameworkAuthenticationOptions, log: Logger): CloudAdapter {
  const adapter = new CloudAdapter(new ReusedConnectorClientsAuthentication(sdkSettings));
  adapter.onTurnError = async (context, error) => {
    const correlationId = newCorrelationId();
    const activity = context.activity;
    // `err` as the Error object itself, so pino's serializer keeps its type and stack.
    log.error(
      { event: 'turn-error', correlationId, activityType: activity.type, activityName: activity.name, conversationId: activity.conversation?.id, err: error },
      'unhandled error in a turn',
    );
    const what = activity.type === ActivityTypes.Invoke ? 'that card action' : 'that message';
    await context
      .sendActivity({
        type: ActivityTypes.Message,
        textFormat: 'plain',
        text: `I could not finish ${what}: ${userErrorText(error, 200)}. Try again; if it keeps failing, give the bot's owner the correlation id ${correlationId}.`,
      })
      .catch(() => undefined);
  };
  return adapter;
}

/** Per user and conversation, so an open question is scoped to whoever was asked (kept in memory). */
export function createPromptState(): PrivateConversationState {
  return new PrivateConversationState(new MemoryStorage());
}
