/**
 * Bounded retries with backoff, owned by us rather than the Azure SDK: clients built here set the
 * SDK's own retry policy to zero retries so the two never multiply (3 × 3 = 9 calls to a throttled
 * service), and so the retry decision can use our error classification.
 */

export interface RetryOptions {
  /** Total attempts, the first one included. 1 disables retries. */
  maxAttempts: number;
  /** First backoff when the service gave no Retry-After; doubles per attempt. */
  baseDelayMs: number;
  /**
   * Longest single wait. When the service asks for longer than this we stop retrying and let the
   * caller report when to try again: a chat user should not sit through a minute of silence.
   */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

export type RetryDecision = { retry: false } | { retry: true; retryAfterMs?: number };

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  attempt: number;
  delayMs: number;
  error: unknown;
}

export class AbortError extends Error {
  constructor(message = 'The operation was aborted.') {
    super(message);
    this.name = 'AbortError';
  }
}

/** Resolves after `ms`, or rejects with AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with a little jitter so concurrent callers do not retry in lockstep. */
export function backoffDelayMs(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.8 + 0.2 * random()));
}

/**
 * Runs `operation` until it succeeds, `classify` says the error is final, the attempts run out, or
 * the service asks for a wait longer than maxDelayMs. The last error is rethrown unchanged.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  options: RetryOptions,
  hooks: { signal?: AbortSignal; onRetry?: (event: RetryEvent) => void } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = classify(error);
      if (!decision.retry || attempt >= options.maxAttempts || hooks.signal?.aborted) throw error;
      const delayMs = decision.retryAfterMs ?? backoffDelayMs(attempt, options);
      if (delayMs > options.maxDelayMs) throw error;
      hooks.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, hooks.signal);
    }
  }
}
