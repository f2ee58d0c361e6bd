import { Readiness } from '../../src/health/readiness';

describe('readiness', () => {
  it('is ready when every check passes, and degraded with a short path-free reason when one fails', async () => {
    let store: string | undefined = 'Could not read tags from /srv/huntbot/huntbot.db: database disk image is malformed\nat line 2';
    let now = 0;
    const readiness = new Readiness({ exclusionStore: async () => store, runState: async () => undefined }, { cacheMs: 1_000, now: () => now });
    expect(await readiness.report()).toMatchObject({
      status: 'degraded',
      checks: { exclusionStore: 'failing: Could not read tags from <server path>: database disk image is malformed', runState: 'ok' },
    });
    store = undefined;
    now += 1_000;
    expect(await readiness.report()).toMatchObject({ status: 'ready', checks: { exclusionStore: 'ok', runState: 'ok' } });
  });

  it('runs the checks at most once per cache period, however often it is probed', async () => {
    let runs = 0;
    let now = 0;
    const readiness = new Readiness({ store: async () => void runs++ }, { cacheMs: 5_000, now: () => now });
    await Promise.all(Array.from({ length: 50 }, () => readiness.report()));
    now += 4_999;
    await readiness.report();
    expect(runs).toBe(1);
    now += 1;
    await readiness.report();
    expect(runs).toBe(2);
  });

  it('counts a check that does not answer in time as failing', async () => {
    const readiness = new Readiness({ backend: () => new Promise<undefined>(() => undefined) }, { timeoutMs: 20 });
    expect((await readiness.report()).checks.backend).toBe('failing: no answer within 20 ms');
  });

  it('logs a change of state once, with the full reason', async () => {
    const changes: Array<[string, string | undefined]> = [];
    let now = 0;
    let reason: string | undefined = 'broken at /srv/x.db';
    const readiness = new Readiness({ store: async () => reason }, { cacheMs: 1, now: () => now, onChange: (name, r) => changes.push([name, r]) });
    await readiness.report();
    now += 1;
    await readiness.report();
    reason = undefined;
    now += 1;
    await readiness.report();
    expect(changes).toEqual([
      ['store', 'broken at /srv/x.db'],
      ['store', undefined],
    ]);
  });
});
