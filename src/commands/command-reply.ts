import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { HuntPromptState, HuntRunRequest } from '../domain/hunt-request';

/**
 * What a command wants the bot to do. Commands stay free of the Bot Framework SDK; the bot turns
 * these into activities.
 */
export type CommandReply =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: AdaptiveCardJson; summary: string }
  | { kind: 'run-hunt'; request: HuntRunRequest }
  | { kind: 'ask'; prompt: HuntPromptState };
