import { QueryFailure } from '../../src/domain/query-failure';
import { SingleFlight } from '../../src/scheduling';
import { deferred, type Deferred } from './deferred';

/** Work the test settles by hand; counts how often it was started and keeps each start's signal. */
class Backend {
  readonly starts: Array<{ signal: AbortSignal; result: Deferred<string> }> = [];

  readonly start = (signal: AbortSignal): Promise<string> => {
    const result = deferred<string>();
    this.starts.push({ signal, result });
    return result.promise;
  };

  get last(): { signal: AbortSignal; result: Deferred<string> } {
    return this.starts[this.starts.length - 1];
  }
}

/** A clock the test moves by hand. */
class Clock {
  ms = Date.parse('2026-11-28T03:00:00Z');
  readonly now = (): number => this.ms;
}

describe('SingleFlight sharing', () => {
  it('attaches an identical request to the running one instead of starting another', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const first = flights.run('desktopnow 5d', backend.start);
    const second = flights.run('desktopnow 5d', backend.start);
    expect(backend.starts).toHaveLength(1);
    expect([first.shared, second.shared]).toEqual([false, true]);
    expect(second.cachedAt).toBeUndefined();

    backend.last.result.resolve('rows');
    await expect(first.promise).resolves.toBe('rows');
    await expect(second.promise).resolves.toBe('rows');
  });

  it('runs different keys separately', () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    flights.run('desktopnow 5d', backend.start);
    flights.run('anydesk 5d', backend.start);
    expect(backend.starts).toHaveLength(2);
    expect(flights.stats()).toEqual({ running: 2, cached: 0 });
  });

  it('shares a failure with every waiting caller and does not keep it: the next request starts afresh', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    const second = flights.run('k', backend.start);
    backend.last.result.reject(new QueryFailure('unavailable', 'Bad gateway'));
    await expect(first.promise).rejects.toMatchObject({ kind: 'unavailable' });
    await expect(second.promise).rejects.toMatchObject({ kind: 'unavailable' });

    const third = flights.run('k', backend.start);
    expect(third.shared).toBe(false);
    expect(backend.starts).toHaveLength(2);
    expect(flights.stats()).toEqual({ running: 1, cached: 0 });
  });

  it('treats a start that throws like work that failed', async () => {
    const flights = new SingleFlight<string, string>();
    const flight = flights.run('k', () => {
      throw new Error('no backend');
    });
    await expect(flight.promise).rejects.toThrow('no backend');
    expect(flights.stats()).toEqual({ running: 0, cached: 0 });
  });
});

describe('SingleFlight result reuse', () => {
  it('reuses a completed result younger than the TTL and says when it completed', async () => {
    const clock = new Clock();
    const flights = new SingleFlight<string, string>({ ttlMs: 60_000, now: clock.now });
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    backend.last.result.resolve('rows');
    await first.promise;
    const completedAt = clock.ms;

    clock.ms += 59_999;
    const reused = flights.run('k', backend.start);
    expect(backend.starts).toHaveLength(1);
    expect(reused.shared).toBe(true);
    expect(reused.cachedAt).toEqual(new Date(completedAt));
    await expect(reused.promise).resolves.toBe('rows');
  });

  it('runs the hunt again once the result is as old as the TTL', async () => {
    const clock = new Clock();
    const flights = new SingleFlight<string, string>({ ttlMs: 60_000, now: clock.now });
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    backend.last.result.resolve('old rows');
    await first.promise;

    clock.ms += 60_000;
    const again = flights.run('k', backend.start);
    expect(again.shared).toBe(false);
    expect(again.cachedAt).toBeUndefined();
    expect(backend.starts).toHaveLength(2);
    expect(flights.stats()).toEqual({ running: 1, cached: 0 });
  });

  it('with a TTL of 0 reuses nothing but still shares work in flight', async () => {
    const flights = new SingleFlight<string, string>({ ttlMs: 0 });
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    expect(flights.run('k', backend.start).shared).toBe(true);
    backend.last.result.resolve('rows');
    await first.promise;

    expect(flights.run('k', backend.start).shared).toBe(false);
    expect(backend.starts).toHaveLength(2);
  });

  it('defaults to reusing results for 60 seconds', async () => {
    const clock = new Clock();
    const flights = new SingleFlight<string, string>({ now: clock.now });
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    backend.last.result.resolve('rows');
    await first.promise;
    clock.ms += 59_000;
    expect(flights.run('k', backend.start).shared).toBe(true);
    clock.ms += 1_000;
    expect(flights.run('k', backend.start).shared).toBe(false);
  });

  it('skips the reused result when asked for a fresh run, and keeps the fresh result instead', async () => {
    const clock = new Clock();
    const flights = new SingleFlight<string, string>({ now: clock.now });
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    backend.last.result.resolve('old rows');
    await first.promise;

    clock.ms += 10_000;
    const again = flights.run('k', backend.start, { fresh: true });
    expect(again.shared).toBe(false);
    backend.last.result.resolve('new rows');
    await expect(again.promise).resolves.toBe('new rows');
    const reused = flights.run('k', backend.start);
    expect(reused.cachedAt).toEqual(new Date(clock.ms));
    await expect(reused.promise).resolves.toBe('new rows');
  });

  it('forgets a result on request', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const first = flights.run('k', backend.start);
    backend.last.result.resolve('rows');
    await first.promise;
    flights.forget('k');
    expect(flights.run('k', backend.start).shared).toBe(false);
  });
});

describe('SingleFlight cancellation', () => {
  it('rejects a cancelling caller with cancelled while the others still get the result', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const alice = new AbortController();
    const first = flights.run('k', backend.start, { signal: alice.signal });
    const second = flights.run('k', backend.start, { signal: new AbortController().signal });

    alice.abort();
    await expect(first.promise).rejects.toMatchObject({ name: 'QueryFailure', kind: 'cancelled' });
    expect(backend.last.signal.aborted).toBe(false);
    backend.last.result.resolve('rows');
    await expect(second.promise).resolves.toBe('rows');
  });

  it('aborts the shared work only when every caller has cancelled, and starts afresh after that', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const callers = [new AbortController(), new AbortController(), new AbortController()];
    const flightsOfCallers = callers.map((c) => flights.run('k', backend.start, { signal: c.signal }));
    const work = backend.last;

    callers[0].abort();
    callers[1].abort();
    expect(work.signal.aborted).toBe(false);
    callers[2].abort();
    expect(work.signal.aborted).toBe(true);
    expect(work.signal.reason).toMatchObject({ kind: 'cancelled' });
    for (const flight of flightsOfCallers) await expect(flight.promise).rejects.toMatchObject({ kind: 'cancelled' });

    const next = flights.run('k', backend.start);
    expect(next.shared).toBe(false);
    expect(backend.starts).toHaveLength(2);
  });

  it('keeps the work alive for a caller that cannot cancel', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const cancel = new AbortController();
    const quitter = flights.run('k', backend.start, { signal: cancel.signal });
    const stayer = flights.run('k', backend.start);

    cancel.abort();
    await expect(quitter.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.last.signal.aborted).toBe(false);
    backend.last.result.resolve('rows');
    await expect(stayer.promise).resolves.toBe('rows');
  });

  it('does not keep the late result of work everyone abandoned', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const cancel = new AbortController();
    const flight = flights.run('k', backend.start, { signal: cancel.signal });
    cancel.abort();
    await expect(flight.promise).rejects.toMatchObject({ kind: 'cancelled' });

    // The backend ignored the abort and finished anyway.
    backend.starts[0].result.resolve('rows');
    await new Promise(setImmediate);
    expect(flights.stats()).toEqual({ running: 0, cached: 0 });
  });

  it('ignores a cancel that comes after the result', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const cancel = new AbortController();
    const flight = flights.run('k', backend.start, { signal: cancel.signal });
    backend.last.result.resolve('rows');
    await expect(flight.promise).resolves.toBe('rows');
    cancel.abort();
    expect(backend.last.signal.aborted).toBe(false);
    expect(flights.stats()).toEqual({ running: 0, cached: 1 });
  });

  it('never starts work for a caller that cancelled before asking', async () => {
    const flights = new SingleFlight<string, string>();
    const backend = new Backend();
    const flight = flights.run('k', backend.start, { signal: AbortSignal.abort() });
    await expect(flight.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.starts).toHaveLength(0);
  });
});
