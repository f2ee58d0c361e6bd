import { PhaseStats } from '../../src/runs/phase-stats';

describe('the per-phase totals of the bot\'s own work per hunt', () => {
  it('start at zero for every phase', () => {
    const zero = { count: 0, totalMs: 0, maxMs: 0 };
    expect(new PhaseStats().snapshot()).toEqual({ turn: zero, begin: zero, reply: zero, shape: zero, tags: zero, save: zero, render: zero, put: zero });
  });

  it('sum, count and keep the longest of each phase', () => {
    const stats = new PhaseStats();
    stats.record('render', 1.234);
    stats.record('render', 3.5);
    stats.record('shape', 0.5);

    expect(stats.snapshot()).toMatchObject({ render: { count: 2, totalMs: 4.73, maxMs: 3.5 }, shape: { count: 1, totalMs: 0.5, maxMs: 0.5 } });
  });

  it('time work that throws too, and pass the error on', async () => {
    const stats = new PhaseStats();

    await expect(
      stats.time('put', () => {
        throw new Error('connector down');
      }),
    ).rejects.toThrow('connector down');
    await expect(stats.time('save', async () => 'saved')).resolves.toBe('saved');
    expect(stats.snapshot().put.count).toBe(1);
    expect(stats.snapshot().save.count).toBe(1);
  });

  it('time synchronous work as the work alone, not the microtasks queued ahead of it', async () => {
    const stats = new PhaseStats();
    // Other hunts' work already waiting in the microtask queue when the render starts.
    for (let i = 0; i < 20; i++) queueMicrotask(() => busyFor(5));
    await stats.time('render', () => 'card');

    expect(stats.snapshot().render.totalMs).toBeLessThan(50);
  });
});

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}
