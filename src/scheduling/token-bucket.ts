export interface TokenBucketOptions {
  /** Tokens added per minute: the sustained rate. */
  perMinute: number;
  /** Bucket size: how many may come at once after a quiet spell. */
  burst: number;
  /** Buckets kept at most (default 10,000); beyond it the least recently used is dropped. */
  maxKeys?: number;
  now?: () => number;
}

export type TakeResult = { allowed: true } | { allowed: false; /** True only for the first refusal since the bucket was last full. */ firstRefusal: boolean; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
  refused: boolean;
}

/**
 * One token bucket per key (e.g. a person in a conversation). Memory stays bounded: buckets that have
 * refilled completely carry nothing a fresh one would not, so they are dropped once idle, and at most
 * `maxKeys` are kept (least recently used dropped first).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions) {
    if (!(options.perMinute > 0) || !(options.burst >= 1)) throw new RangeError('TokenBuckets: perMinute must be > 0 and burst ≥ 1');
    this.perMs = options.perMinute / 60_000;
    this.burst = options.burst;
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): TakeResult {
    const now = this.now();
    // A full bucket dropped here is re-created full: nothing is lost.
    this.dropIdle(now, this.maxKeys - 1);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now, refused: false };
    bucket.tokens = this.level(bucket, now);
    bucket.at = now;
    // An episode ends only when the bucket has refilled (a quiet spell), so a sustained flood that
    // gets a message through now and then still counts as one episode.
    if (bucket.tokens >= this.burst) bucket.refused = false;
    // Re-inserted so the Map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const firstRefusal = !bucket.refused;
    bucket.refused = true;
    return { allowed: false, firstRefusal, retryAfterMs: Math.ceil((1 - bucket.tokens) / this.perMs) };
  }

  private level(bucket: Bucket, now: number): number {
    return Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  /** From the least recently used end: drops full (idle) buckets, and any bucket while more than `keep` remain. */
  private dropIdle(now: number, keep: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= keep && this.level(bucket, now) < this.burst) return;
      this.buckets.delete(key);
    }
  }
}
