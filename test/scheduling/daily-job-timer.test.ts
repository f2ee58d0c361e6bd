import { DailyJobTimer, type TimerClock } from '../../src/scheduling/daily-job-timer';

/** A clock the test moves by hand; timers fire only when the test advances it. */
class ManualClock implements TimerClock {
  private timers: Array<{ at: number; run: () => void }> = [];
  constructor(private at: number) {}
  now = () => new Date(this.at);
  setTimeout = (run: () => void, ms: number) => {
    const timer = { at: this.at + ms, run };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t !== handle);
  };
  /** Moves to `at`, firing due timers in order (and letting their follow-up work settle). */
  async advanceTo(at: number): Promise<void> {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= at).sort((x, y) => x.at - y.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.at = due.at;
      due.run();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.at = at;
  }
}

const hour = (h: number, m = 0) => Date.parse(`2026-12-03T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`);

describe('the daily job timer', () => {
  it('calls the job from the configured UTC hour on, at whole hours, and not before', async () => {
    const clock = new ManualClock(hour(6, 30));
    const runs: string[] = [];
    const timer = new DailyJobTimer(8, async (now) => void runs.push(now.toISOString().slice(11, 16)), () => undefined, clock);
    timer.start();
    await clock.advanceTo(hour(7, 59));
    expect(runs).toEqual([]);
    await clock.advanceTo(hour(9, 0));
    expect(runs).toEqual(['08:00', '09:00']);
    timer.stop();
    await clock.advanceTo(hour(12, 0));
    expect(runs).toEqual(['08:00', '09:00']);
  });

  it('checks soon after a start past the hour, so a restart does not skip the day', async () => {
    const clock = new ManualClock(hour(10, 15));
    const runs: Date[] = [];
    const timer = new DailyJobTimer(8, async (now) => void runs.push(now), () => undefined, clock);
    timer.start();
    await clock.advanceTo(hour(10, 16));
    expect(runs).toHaveLength(1);
    timer.stop();
  });

  it('reports a failing job and keeps ticking', async () => {
    const clock = new ManualClock(hour(8, 0));
    const errors: unknown[] = [];
    const timer = new DailyJobTimer(8, async () => { throw new Error('store down'); }, (e) => errors.push(e), clock);
    timer.start();
    await clock.advanceTo(hour(10, 0));
    expect(errors.map((e) => (e as Error).message)).toEqual(['store down', 'store down', 'store down']);
    timer.stop();
  });
});
