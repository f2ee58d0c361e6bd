import { CardUpdateFailed, putCardWithRetry } from '../../src/bot/card-put-retry';

/** A connector answer as core-rest-pipeline's RestError carries it. */
function refusal(statusCode: number, retryAfter?: string): Error {
  const headers = new Map<string, string>(retryAfter === undefined ? [] : [['retry-after', retryAfter]]);
  return Object.assign(new Error(`status ${statusCode}`), { statusCode, response: { status: statusCode, headers: { get: (n: string) => headers.get(n) } } });
}

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 50, totalBudgetMs: 200 };

describe('a card update Teams refuses', () => {
  it('is retried after 429 and 5xx until it goes through', async () => {
    const answers = [refusal(429, '0'), refusal(503), undefined];
    let calls = 0;
    await putCardWithRetry(async () => {
      const answer = answers[calls++];
      if (answer) throw answer;
    }, fast);
    expect(calls).toBe(3);
  });

  it('waits as long as Retry-After asks', async () => {
    const at: number[] = [];
    await putCardWithRetry(async () => {
      at.push(Date.now());
      if (at.length === 1) throw refusal(429, '0.05');
    }, fast);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(45);
  });

  it('is not retried when Teams asks for a wait beyond the budget, or answers a final 4xx', async () => {
    for (const error of [refusal(429, '120'), refusal(404), refusal(400)]) {
      let calls = 0;
      await expect(
        putCardWithRetry(async () => {
          calls++;
          throw error;
        }, fast),
      ).rejects.toBeInstanceOf(CardUpdateFailed);
      expect(calls).toBe(1);
    }
  });

  it('gives up after the attempt limit, saying what Teams answered', async () => {
    let calls = 0;
    const failure = await putCardWithRetry(async () => {
      calls++;
      throw refusal(502);
    }, fast).catch((error: unknown) => error);
    expect(calls).toBe(4);
    expect(failure).toBeInstanceOf(CardUpdateFailed);
    expect((failure as Error).message).toBe('Teams answered 502 to 4 attempts');
  });
});
