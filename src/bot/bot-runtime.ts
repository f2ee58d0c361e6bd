import {
  CloudAdapter,
  MemoryStorage,
  PrivateConversationState,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Env } from '../config/env';
import type { Logger } from '../logging/logger';
import { ChannelOnlyBotFrameworkAuthentication } from './channel-authentication';

/** The Bot Framework adapter: inbound tokens checked from the standard Microsoft* settings, turn errors logged and answered. */
export function createBotAdapter(env: Env, log: Logger): CloudAdapter {
  const adapter = new CloudAdapter(new ChannelOnlyBotFrameworkAuthentication(env as ConfigurationBotFrameworkAuthenticationOptions));
  adapter.onTurnError = async (context, error) => {
    log.error({ event: 'turn-error', err: error instanceof Error ? error.message : String(error) }, 'unhandled error in a turn');
    await context.sendActivity('Sorry, something went wrong handling that. Please try again.').catch(() => undefined);
  };
  return adapter;
}

/** Per user and conversation, so an open question is scoped to whoever was asked (kept in memory). */
export function createPromptState(): PrivateConversationState {
  return new PrivateConversationState(new MemoryStorage());
}
