import { QueryFailure } from '../../src/domain/query-failure';
import { QueryScheduler } from '../../src/scheduling';
import { ControllableTasks } from './deferred';

/** Schedules a named task for a user; the promise is caught so an unawaited rejection cannot leak. */
function submit(scheduler: QueryScheduler, tasks: ControllableTasks, user: string, name: string, options = {}): Promise<string> {
  const promise = scheduler.schedule(user, tasks.task(name), options);
  promise.catch(() => undefined);
  return promise;
}

describe('QueryScheduler limits', () => {
  it('runs at most maxConcurrent queries at once and starts the next one when one finishes', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 2, maxPerUser: 5 });
    const tasks = new ControllableTasks();
    const first = submit(scheduler, tasks, 'alice', 'a1');
    submit(scheduler, tasks, 'bob', 'b1');
    submit(scheduler, tasks, 'carol', 'c1');
    expect(tasks.started).toEqual(['a1', 'b1']);

    tasks.finish('a1');
    await expect(first).resolves.toBe('result of a1');
    expect(tasks.started).toEqual(['a1', 'b1', 'c1']);
  });

  it('lets one user run at most maxPerUser queries at once, even with global slots free', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 5, maxPerUser: 2 });
    const tasks = new ControllableTasks();
    const first = submit(scheduler, tasks, 'alice', 'a1');
    submit(scheduler, tasks, 'alice', 'a2');
    submit(scheduler, tasks, 'alice', 'a3');
    submit(scheduler, tasks, 'bob', 'b1');
    expect(tasks.started).toEqual(['a1', 'a2', 'b1']);
    expect(scheduler.stats()).toEqual({
      running: 3,
      queued: 1,
      byUser: { alice: { running: 2, queued: 1 }, bob: { running: 1, queued: 0 } },
      pausedForMs: 0,
    });

    tasks.finish('a1');
    await first;
    expect(tasks.started).toEqual(['a1', 'a2', 'b1', 'a3']);
  });

  it('defaults to 5 queries at once and 2 per user', () => {
    const scheduler = new QueryScheduler();
    const tasks = new ControllableTasks();
    for (const user of ['u1', 'u2', 'u3']) for (const n of [1, 2, 3]) submit(scheduler, tasks, user, `${user}-${n}`);
    expect(tasks.started).toEqual(['u1-1', 'u1-2', 'u2-1', 'u2-2', 'u3-1']);
    expect(scheduler.stats()).toMatchObject({ running: 5, queued: 4 });
  });

  it('frees the slot of a task that throws instead of returning a promise', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1 });
    const tasks = new ControllableTasks();
    const broken = scheduler.schedule('alice', () => {
      throw new Error('boom');
    });
    await expect(broken).rejects.toThrow('boom');
    submit(scheduler, tasks, 'bob', 'b1');
    expect(tasks.started).toEqual(['b1']);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new QueryScheduler({ maxConcurrent: 0 })).toThrow(RangeError);
    expect(() => new QueryScheduler({ maxPerUser: 1.5 })).toThrow(RangeError);
  });
});

describe('QueryScheduler fairness', () => {
  it("takes turns across users, so one user's ten hunts do not starve another user's one", async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1, maxPerUser: 10 });
    const tasks = new ControllableTasks();
    const alice = Array.from({ length: 10 }, (_, i) => submit(scheduler, tasks, 'alice', `a${i + 1}`));
    const bob = submit(scheduler, tasks, 'bob', 'b1');

    tasks.finish('a1');
    await alice[0];
    tasks.finish('a2');
    await alice[1];
    expect(tasks.started).toEqual(['a1', 'a2', 'b1']);
    tasks.finish('b1');
    await bob;
    expect(tasks.started.at(-1)).toBe('a3');
  });

  it('serves three users round-robin and each user first-in first-out', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1, maxPerUser: 10 });
    const tasks = new ControllableTasks();
    const all = new Map<string, Promise<string>>();
    all.set('a1', submit(scheduler, tasks, 'alice', 'a1'));
    for (const name of ['a2', 'a3', 'a4']) all.set(name, submit(scheduler, tasks, 'alice', name));
    for (const name of ['b1', 'b2']) all.set(name, submit(scheduler, tasks, 'bob', name));
    all.set('c1', submit(scheduler, tasks, 'carol', 'c1'));

    while (tasks.started.length < all.size) {
      const current = tasks.started.at(-1)!;
      tasks.finish(current);
      await all.get(current);
    }
    expect(tasks.started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'a4']);
  });

  it('gives a free slot to the next user under their limit, and a held-back user their turn once under it', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 2, maxPerUser: 1 });
    const tasks = new ControllableTasks();
    const a1 = submit(scheduler, tasks, 'alice', 'a1');
    const b1 = submit(scheduler, tasks, 'bob', 'b1');
    submit(scheduler, tasks, 'alice', 'a2');
    submit(scheduler, tasks, 'bob', 'b2');
    expect(tasks.started).toEqual(['a1', 'b1']);

    // Alice's a2 waited longer, but she is at her limit: the slot bob frees goes to bob's next hunt.
    tasks.finish('b1');
    await b1;
    expect(tasks.started).toEqual(['a1', 'b1', 'b2']);
    tasks.finish('a1');
    await a1;
    expect(tasks.started).toEqual(['a1', 'b1', 'b2', 'a2']);
  });
});

describe('QueryScheduler queue positions', () => {
  it('reports each waiting hunt its place in line whenever it changes, and 0 when it starts', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1, maxPerUser: 5 });
    const tasks = new ControllableTasks();
    const positions: Record<string, number[]> = { a1: [], a2: [], a3: [], b1: [] };
    const track = (name: string) => ({ onPosition: (p: number) => positions[name].push(p) });
    const a1 = submit(scheduler, tasks, 'alice', 'a1', track('a1'));
    const a2 = submit(scheduler, tasks, 'alice', 'a2', track('a2'));
    submit(scheduler, tasks, 'alice', 'a3', track('a3'));
    // Bob's first hunt takes the fair turn ahead of alice's third.
    submit(scheduler, tasks, 'bob', 'b1', track('b1'));
    expect(positions).toEqual({ a1: [0], a2: [1], a3: [2, 3], b1: [2] });

    tasks.finish('a1');
    await a1;
    expect(positions).toEqual({ a1: [0], a2: [1, 0], a3: [2, 3, 2], b1: [2, 1] });
    tasks.finish('a2');
    await a2;
    expect(positions).toEqual({ a1: [0], a2: [1, 0], a3: [2, 3, 2, 1], b1: [2, 1, 0] });
  });

  it('keeps reporting when one progress callback throws', () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1 });
    const tasks = new ControllableTasks();
    const seen: number[] = [];
    submit(scheduler, tasks, 'alice', 'a1', {
      onPosition: () => {
        throw new Error('card update failed');
      },
    });
    submit(scheduler, tasks, 'bob', 'b1', { onPosition: (p: number) => seen.push(p) });
    expect(tasks.started).toEqual(['a1']);
    expect(seen).toEqual([1]);
  });
});

describe('QueryScheduler cancellation', () => {
  it("takes a waiting hunt out of the queue when its requester cancels, and moves the ones behind it up", async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1 });
    const tasks = new ControllableTasks();
    const cancel = new AbortController();
    const behind: number[] = [];
    const a1 = submit(scheduler, tasks, 'alice', 'a1');
    const b1 = submit(scheduler, tasks, 'bob', 'b1', { signal: cancel.signal });
    submit(scheduler, tasks, 'carol', 'c1', { onPosition: (p: number) => behind.push(p) });

    cancel.abort();
    await expect(b1).rejects.toMatchObject({ name: 'QueryFailure', kind: 'cancelled' });
    expect(behind).toEqual([2, 1]);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1 });

    tasks.finish('a1');
    await a1;
    expect(tasks.started).toEqual(['a1', 'c1']);
  });

  it('passes the cancel to a running hunt through its signal and frees the slot when it stops', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1 });
    const tasks = new ControllableTasks();
    const cancel = new AbortController();
    const a1 = submit(scheduler, tasks, 'alice', 'a1', { signal: cancel.signal });
    submit(scheduler, tasks, 'bob', 'b1');

    cancel.abort();
    expect(tasks.signals.get('a1')?.aborted).toBe(true);
    // The task decides how to stop; the scheduler waits for it, then starts the next one.
    expect(tasks.started).toEqual(['a1']);
    tasks.fail('a1', new QueryFailure('cancelled', 'stopped'));
    await expect(a1).rejects.toMatchObject({ kind: 'cancelled' });
    expect(tasks.started).toEqual(['a1', 'b1']);
  });

  it('refuses a hunt whose signal is already aborted without queueing it', async () => {
    const scheduler = new QueryScheduler();
    const tasks = new ControllableTasks();
    const result = submit(scheduler, tasks, 'alice', 'a1', { signal: AbortSignal.abort() });
    await expect(result).rejects.toMatchObject({ kind: 'cancelled' });
    expect(tasks.started).toEqual([]);
    expect(scheduler.stats()).toMatchObject({ running: 0, queued: 0 });
  });
});

describe('QueryScheduler throttling', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-28T03:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('pauses every user\'s next start until Retry-After when a query fails throttled', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 2 });
    const tasks = new ControllableTasks();
    const a1 = submit(scheduler, tasks, 'alice', 'a1');
    submit(scheduler, tasks, 'bob', 'b1');
    submit(scheduler, tasks, 'carol', 'c1');

    tasks.fail('a1', new QueryFailure('throttled', 'Too many requests', { statusCode: 429, retryAfterMs: 30_000 }));
    await expect(a1).rejects.toMatchObject({ kind: 'throttled' });
    // No retry here: the failure goes to its caller, and the free slot stays empty for the pause.
    expect(tasks.started).toEqual(['a1', 'b1']);
    expect(scheduler.stats()).toMatchObject({ running: 1, queued: 1, pausedForMs: 30_000 });

    jest.advanceTimersByTime(29_999);
    expect(tasks.started).toEqual(['a1', 'b1']);
    jest.advanceTimersByTime(1);
    expect(tasks.started).toEqual(['a1', 'b1', 'c1']);
    expect(scheduler.stats().pausedForMs).toBe(0);
  });

  it('queues new hunts during the pause and starts them when it ends', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 2 });
    const tasks = new ControllableTasks();
    const a1 = submit(scheduler, tasks, 'alice', 'a1');
    tasks.fail('a1', new QueryFailure('throttled', 'Too many requests', { retryAfterMs: 5_000 }));
    await expect(a1).rejects.toMatchObject({ kind: 'throttled' });

    const positions: number[] = [];
    submit(scheduler, tasks, 'bob', 'b1', { onPosition: (p: number) => positions.push(p) });
    expect(positions).toEqual([1]);
    jest.advanceTimersByTime(5_000);
    expect(tasks.started).toEqual(['a1', 'b1']);
    expect(positions).toEqual([1, 0]);
  });

  it('does not pause for a throttled failure without Retry-After, or for other failures', async () => {
    const scheduler = new QueryScheduler({ maxConcurrent: 1 });
    const tasks = new ControllableTasks();
    const a1 = submit(scheduler, tasks, 'alice', 'a1');
    const b1 = submit(scheduler, tasks, 'bob', 'b1');
    submit(scheduler, tasks, 'carol', 'c1');

    tasks.fail('a1', new QueryFailure('throttled', 'Too many requests'));
    await expect(a1).rejects.toMatchObject({ kind: 'throttled' });
    expect(tasks.started).toEqual(['a1', 'b1']);
    tasks.fail('b1', new QueryFailure('unavailable', 'Bad gateway', { statusCode: 502, retryAfterMs: 10_000 }));
    await expect(b1).rejects.toMatchObject({ kind: 'unavailable' });
    expect(tasks.started).toEqual(['a1', 'b1', 'c1']);
  });
});
