import type { AdaptiveCardJson } from '../domain/adaptive-card';

/** Where a card lives, opaque to everything but the bot layer that posted it. */
export interface CardTarget {
  conversation: unknown;
  activityId: string;
}

/** Replaces a posted card in place (the bot layer implements it with updateActivity). */
export interface CardPublisher {
  update(target: CardTarget, card: AdaptiveCardJson): Promise<void>;
}
