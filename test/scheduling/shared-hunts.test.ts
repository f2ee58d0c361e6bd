import { QueryScheduler, SingleFlight, huntFlightKey } from '../../src/scheduling';
import { ControllableTasks } from './deferred';

/**
 * The wiring the bot uses: identical hunts share one flight, and each flight takes one scheduler
 * slot, charged to the responder who started it.
 */
class HuntDesk {
  readonly scheduler = new QueryScheduler({ maxConcurrent: 1, maxPerUser: 1 });
  readonly flights = new SingleFlight<string, string>();
  readonly backend = new ControllableTasks();
  readonly positions = new Map<string, number[]>();

  ask(user: string, hunt: string, minute: string, signal?: AbortSignal) {
    const key = huntFlightKey({ backend: 'embedded', huntIds: [hunt], windowStart: `2026-11-23T03:${minute}Z`, windowEnd: `2026-11-28T03:${minute}Z` });
    const flight = this.flights.run(
      key,
      (flightSignal) =>
        this.scheduler.schedule(user, this.backend.task(`${hunt} for ${user}`), {
          signal: flightSignal,
          onPosition: (p) => this.positions.set(user, [...(this.positions.get(user) ?? []), p]),
        }),
      { signal },
    );
    flight.promise.catch(() => undefined);
    return flight;
  }
}

describe('hunts shared between responders', () => {
  it('runs one backend query for two responders asking for the same hunt within a minute', async () => {
    const desk = new HuntDesk();
    const alice = desk.ask('alice', 'desktopnow', '00:05.000');
    const bob = desk.ask('bob', 'desktopnow', '00:41.500');
    expect(bob.shared).toBe(true);
    expect(desk.backend.started).toEqual(['desktopnow for alice']);

    desk.backend.finish('desktopnow for alice');
    await expect(alice.promise).resolves.toBe('result of desktopnow for alice');
    await expect(bob.promise).resolves.toBe('result of desktopnow for alice');
  });

  it("keeps a shared hunt queued for one responder after the other cancels, and drops it when both have", async () => {
    const desk = new HuntDesk();
    desk.ask('carol', 'anydesk', '00:00.000');
    const aliceCancels = new AbortController();
    const bobCancels = new AbortController();
    const alice = desk.ask('alice', 'desktopnow', '00:05.000', aliceCancels.signal);
    const bob = desk.ask('bob', 'desktopnow', '00:10.000', bobCancels.signal);
    expect(desk.scheduler.stats()).toMatchObject({ running: 1, queued: 1 });

    aliceCancels.abort();
    await expect(alice.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(desk.scheduler.stats()).toMatchObject({ queued: 1 });
    bobCancels.abort();
    await expect(bob.promise).rejects.toMatchObject({ kind: 'cancelled' });
    expect(desk.scheduler.stats()).toMatchObject({ running: 1, queued: 0 });
    expect(desk.positions.get('alice')).toEqual([1]);
  });
});
