import { backoffDelayMs, retryWithBackoff, type RetryOptions } from '../azure/retry';
import { parseRetryAfterMs, type HeaderLookup } from '../azure/retry-after';
import { countOf } from '../text/count-text';

/** How hard to try a card update (PUT /v3/conversations/{id}/activities/{id}) that Teams refuses with 429 or 5xx. */
export interface CardPutRetryOptions extends RetryOptions {
  /** No retry starts that would end after this long since the first attempt. */
  totalBudgetMs: number;
  /** One attempt that has not been answered by then counts as a network failure (a half-open socket must not hold a queue place). */
  attemptTimeoutMs?: number;
}

/** How long one connector call may go unanswered when the options do not say. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 20_000;

/** A result card, updated in the background: worth waiting for, within a minute. */
export const BACKGROUND_CARD_PUT: Readonly<CardPutRetryOptions> = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, totalBudgetMs: 60_000 };

/** The shared card updated inside an invoke turn: Teams waits only seconds for the clicker's answer. */
export const IN_TURN_CARD_PUT: Readonly<CardPutRetryOptions> = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 3_000, totalBudgetMs: 6_000, attemptTimeoutMs: 5_000 };

/** The update was given up: the last status Teams answered and how many attempts were made. */
export class CardUpdateFailed extends Error {
  constructor(
    readonly attempts: number,
    readonly statusCode: number | undefined,
    override readonly cause: unknown,
  ) {
    super(
      statusCode === undefined
        ? `Teams could not be reached (${countOf(attempts, 'attempt')})`
        : `Teams answered ${statusCode} to ${countOf(attempts, 'attempt')}`,
    );
    this.name = 'CardUpdateFailed';
  }
}

/**
 * Runs `put` until Teams accepts it: 429 and 5xx (and network failures) are retried after the
 * Retry-After Teams sent, else with exponential backoff; other 4xx (a deleted message, a card Teams
 * rejects) are final. Bounded in attempts and in total time; gives up with CardUpdateFailed.
 */
export async function putCardWithRetry(
  put: () => Promise<unknown>,
  options: CardPutRetryOptions = BACKGROUND_CARD_PUT,
  hooks: { onRetry?: (event: { attempt: number; delayMs: number; statusCode?: number }) => void; now?: () => number } = {},
): Promise<void> {
  const now = hooks.now ?? Date.now;
  const started = now();
  let attempts = 0;
  try {
    await retryWithBackoff(
      async (attempt) => {
        attempts = attempt;
        await withinAttemptTimeout(put(), options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
      },
      (error) => {
        if (!isRetryableConnectorError(error)) return { retry: false };
        const delayMs = retryAfterOf(error) ?? backoffDelayMs(attempts, options);
        if (now() - started + delayMs > options.totalBudgetMs) return { retry: false };
        return { retry: true, retryAfterMs: delayMs };
      },
      options,
      { onRetry: (event) => hooks.onRetry?.({ attempt: event.attempt, delayMs: event.delayMs, statusCode: statusOf(event.error) }) },
    );
  } catch (error) {
    throw new CardUpdateFailed(attempts, statusOf(error), error);
  }
}

/** The attempt's promise, or an ETIMEDOUT error when it is still unanswered after `ms` (the call itself may still land). */
function withinAttemptTimeout(attempt: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Teams did not answer within ${ms / 1000} s`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
}

/** The HTTP status of a failed connector call (core-rest-pipeline's RestError and its compat wrappers). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } } | undefined;
  const status = e?.statusCode ?? e?.response?.status ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

/** 408, 429, 5xx other than 501/505, and network failures: worth another attempt. */
export function isRetryableConnectorError(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return isNetworkError(error);
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND|UND_ERR_SOCKET|REQUEST_SEND_ERROR)$/.test(code);
}

/** How long a failed connector call's answer asked to wait (its Retry-After headers), if it said. */
export function retryAfterOf(error: unknown): number | undefined {
  return parseRetryAfterMs(headersOf(error));
}

function headersOf(error: unknown): HeaderLookup | undefined {
  const headers = (error as { response?: { headers?: unknown } } | undefined)?.response?.headers;
  if (headers && typeof (headers as HeaderLookup).get === 'function') return headers as HeaderLookup;
  if (headers && typeof headers === 'object') {
    const record = headers as Record<string, unknown>;
    return { get: (name) => Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1] as string | undefined };
  }
  return undefined;
}
