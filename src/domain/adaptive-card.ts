/** An Adaptive Card as plain JSON (already expanded from a template). */
export type AdaptiveCardJson = Record<string, unknown>;
