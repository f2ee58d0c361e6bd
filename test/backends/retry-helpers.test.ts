import { createHttpHeaders } from '@azure/core-rest-pipeline';
import { withDeadline, DeadlineExceededError } from '../../src/azure/deadline';
import { backoffDelayMs, retryWithBackoff, type RetryDecision } from '../../src/azure/retry';
import { parseRetryAfterMs } from '../../src/azure/retry-after';

describe('parseRetryAfterMs', () => {
  test('reads Retry-After in seconds', () => {
    expect(parseRetryAfterMs(createHttpHeaders({ 'Retry-After': '7' }))).toBe(7000);
  });

  test('reads Retry-After as an HTTP date relative to now', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfterMs(createHttpHeaders({ 'retry-after': 'Wed, 01 May 2024 10:00:30 GMT' }), now)).toBe(30_000);
  });

  test("prefers Azure's millisecond headers over Retry-After", () => {
    expect(parseRetryAfterMs(createHttpHeaders({ 'retry-after': '7', 'x-ms-retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfterMs(createHttpHeaders({ 'retry-after': '7', 'retry-after-ms': '120' }))).toBe(120);
  });

  test('gives undefined when absent or unreadable', () => {
    expect(parseRetryAfterMs(createHttpHeaders({}))).toBeUndefined();
    expect(parseRetryAfterMs(createHttpHeaders({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
  });
});

describe('retryWithBackoff', () => {
  const options = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 100 };
  const always = (): RetryDecision => ({ retry: true });

  test('stops at the first success', async () => {
    const attempts: number[] = [];
    const result = await retryWithBackoff(
      async (n) => {
        attempts.push(n);
        if (n < 2) throw new Error('flaky');
        return 'ok';
      },
      always,
      options,
    );
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2]);
  });

  test('rethrows the last error after maxAttempts', async () => {
    let calls = 0;
    const failing = retryWithBackoff(
      async (n) => {
        calls++;
        throw new Error(`attempt ${n}`);
      },
      always,
      options,
    );
    await expect(failing).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  test('does not retry an error classified as final', async () => {
    let calls = 0;
    const failing = retryWithBackoff(
      async () => {
        calls++;
        throw new Error('final');
      },
      () => ({ retry: false }),
      options,
    );
    await expect(failing).rejects.toThrow('final');
    expect(calls).toBe(1);
  });

  test('backoff doubles per attempt with at most 20% jitter, capped at maxDelayMs', () => {
    const opts = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelayMs(1, opts, () => 1)).toBe(100);
    expect(backoffDelayMs(3, opts, () => 1)).toBe(400);
    expect(backoffDelayMs(3, opts, () => 0)).toBe(320);
    expect(backoffDelayMs(9, opts, () => 1)).toBe(1_000);
  });
});

describe('withDeadline', () => {
  test('turns an operation that outlives the deadline into DeadlineExceededError', async () => {
    const slow = withDeadline(20, undefined, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))));
    await expect(slow).rejects.toBeInstanceOf(DeadlineExceededError);
  });

  test("passes the caller's own abort through unchanged", async () => {
    const controller = new AbortController();
    const pending = withDeadline(5_000, controller.signal, (signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(Object.assign(new Error('stop'), { name: 'AbortError' })))),
    );
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
