import { ForegroundRequests } from '../../src/scheduling/foreground-requests';
import { LoopTurns } from '../../src/scheduling/loop-turns';

describe('background steps waiting for the user requests in progress', () => {
  it('go at once when no request is in progress', async () => {
    const foreground = new ForegroundRequests(10_000);
    const started = performance.now();
    await new LoopTurns(foreground).next();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(foreground.stats().deferredSteps).toBe(0);
  });

  it('wait until the last request in progress has been answered', async () => {
    const foreground = new ForegroundRequests(10_000);
    const first = foreground.enter();
    const second = foreground.enter();
    let stepped = false;
    const step = new LoopTurns(foreground).next().then(() => (stepped = true));

    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stepped).toBe(false);
    second();
    await step;
    expect(stepped).toBe(true);
    expect(foreground.stats()).toEqual({ inProgress: 0, deferredSteps: 1 });
  });

  it('wait no longer than the bound while requests keep coming', async () => {
    const foreground = new ForegroundRequests(30);
    foreground.enter();
    const started = performance.now();
    await new LoopTurns(foreground).next();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(foreground.inProgress).toBe(1);
  });

  it('count a request answered twice (finish, then close) once', () => {
    const foreground = new ForegroundRequests();
    const leave = foreground.enter();
    foreground.enter();
    leave();
    leave();
    expect(foreground.inProgress).toBe(1);
  });

  it('keep the order they asked in when released together', async () => {
    const foreground = new ForegroundRequests(10_000);
    const leave = foreground.enter();
    const turns = new LoopTurns(foreground);
    const order: number[] = [];
    const steps = [1, 2, 3].map((n) => turns.next().then(() => order.push(n)));
    leave();
    await Promise.all(steps);
    expect(order).toEqual([1, 2, 3]);
  });

  it('start a query only once the requests in progress are answered, so a burst is acknowledged before it is computed', async () => {
    const foreground = new ForegroundRequests(10_000);
    const leave = foreground.enter();
    let started = false;
    const query = foreground.startAfter(async () => {
      started = true;
      return 'rows';
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(false);
    leave();
    await expect(query).resolves.toBe('rows');
    expect(started).toBe(true);
  });

  it('never start a query cancelled while it waited for the requests in progress', async () => {
    const foreground = new ForegroundRequests(10_000);
    const leave = foreground.enter();
    const cancel = new AbortController();
    let started = false;
    const query = foreground.startAfter(async () => {
      started = true;
    }, cancel.signal);
    cancel.abort();
    leave();
    await expect(query).rejects.toMatchObject({ kind: 'cancelled' });
    expect(started).toBe(false);
  });
});
