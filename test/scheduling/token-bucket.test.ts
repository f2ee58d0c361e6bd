import { MessageRateLimit } from '../../src/scheduling/message-rate-limit';
import { TokenBuckets } from '../../src/scheduling/token-bucket';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('TokenBuckets', () => {
  it('allows a burst, then refuses until tokens come back at the sustained rate', () => {
    const c = clock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3, now: c.now });
    expect([1, 2, 3, 4].map(() => buckets.take('a').allowed)).toEqual([true, true, true, false]);
    c.t += 999;
    expect(buckets.take('a').allowed).toBe(false);
    c.t += 1;
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a')).toEqual({ allowed: false, firstRefusal: false, retryAfterMs: 1000 });
  });

  it('marks only the first refusal of an episode, which lasts until the bucket is full again', () => {
    const c = clock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 2, now: c.now });
    buckets.take('a');
    buckets.take('a');
    const refusals = [1, 2, 3].map(() => buckets.take('a'));
    expect(refusals.map((r) => !r.allowed && r.firstRefusal)).toEqual([true, false, false]);
    c.t += 1000;
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a')).toMatchObject({ allowed: false, firstRefusal: false });
    c.t += 2000;
    buckets.take('a');
    buckets.take('a');
    expect(buckets.take('a')).toMatchObject({ allowed: false, firstRefusal: true });
  });

  it('keeps one key from spending another key’s tokens', () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1, now: clock().now });
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('forgets buckets that refilled while idle, and never holds more than maxKeys', () => {
    const c = clock();
    const buckets = new TokenBuckets({ perMinute: 60, burst: 2, maxKeys: 100, now: c.now });
    for (let i = 0; i < 50; i++) buckets.take(`user-${i}`);
    expect(buckets.size).toBe(50);
    c.t += 2000; // every bucket is full again
    buckets.take('late');
    expect(buckets.size).toBe(1);
    for (let i = 0; i < 10_000; i++) buckets.take(`flood-${i}`);
    expect(buckets.size).toBe(100);
  });
});

describe('MessageRateLimit', () => {
  const who = { userKey: 'u1', conversationId: 'c1' };

  it('tells a flooding person once, then stays quiet, while card presses always get an answer', () => {
    const limit = new MessageRateLimit({ perMinute: 60, burst: 2, now: clock().now });
    const decisions = Array.from({ length: 6 }, () => limit.check(who, 'message'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(2);
    const notices = decisions.filter((d) => !d.allowed && d.notice);
    expect(notices).toHaveLength(1);
    expect(limit.check(who, 'press')).toMatchObject({ allowed: false, notice: expect.stringContaining('pressing buttons faster') });
  });

  it('limits a person per conversation, not everywhere at once', () => {
    const limit = new MessageRateLimit({ perMinute: 60, burst: 1, now: clock().now });
    expect(limit.check(who, 'message').allowed).toBe(true);
    expect(limit.check(who, 'message').allowed).toBe(false);
    expect(limit.check({ ...who, conversationId: 'c2' }, 'message').allowed).toBe(true);
    expect(limit.check({ ...who, userKey: 'u2' }, 'message').allowed).toBe(true);
  });
});
