import type { AdaptiveCardJson } from '../domain/adaptive-card';

/** Where a card lives, opaque to everything but the bot layer that posted it. */
export interface CardTarget {
  conversation: unknown;
  activityId: string;
  /** What the card is about ("DesktopNow · file signature"), for notes about it when the card itself cannot be changed. */
  label?: string;
}

/** Replaces a posted card in place (the bot layer implements it with updateActivity). */
export interface CardPublisher {
  update(target: CardTarget, card: AdaptiveCardJson, options?: CardUpdateOptions): Promise<void>;
  /** Posts a short plain-text note into the card's conversation. */
  notify?(target: CardTarget, text: string): Promise<void>;
}

export interface CardUpdateOptions {
  /** Someone is waiting for this update (a button press): retry briefly rather than for up to a minute. */
  inTurn?: boolean;
}
