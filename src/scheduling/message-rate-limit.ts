import { TokenBuckets, type TokenBucketOptions } from './token-bucket';

/** What the bot does with one incoming message or card press. */
export type RateDecision = { allowed: true } | { allowed: false; /** Say this; absent when the person was already told. */ notice?: string };

/**
 * Messages and card presses per person and conversation, through one token bucket each. A flooded
 * message gets one polite notice per episode (then silence); a card press always gets its refusal,
 * because Teams waits for an answer to every invoke.
 */
export class MessageRateLimit {
  private readonly buckets: TokenBuckets;

  constructor(options: TokenBucketOptions) {
    this.buckets = new TokenBuckets(options);
  }

  check(who: { userKey: string; conversationId: string }, kind: 'message' | 'press'): RateDecision {
    const result = this.buckets.take(`${who.userKey}\u0000${who.conversationId}`);
    if (result.allowed) return result;
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    if (kind === 'press') return { allowed: false, notice: `You're pressing buttons faster than I can answer. Wait ${seconds} s and press it again.` };
    if (!result.firstRefusal) return { allowed: false };
    return {
      allowed: false,
      notice: `You're sending messages faster than I can answer, so I'm not answering the ones after this. Wait ${seconds} s, then send your command again.`,
    };
  }

  get trackedConversations(): number {
    return this.buckets.size;
  }
}
