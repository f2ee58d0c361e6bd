/** The clock and timers the daily job timer uses; tests inject their own and call tick() instead of waiting. */
export interface TimerClock {
  now(): Date;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: TimerClock = {
  // A pending check never keeps the process alive on its own.
  now: () => new Date(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const HOUR_MS = 3_600_000;
const FIRST_CHECK_MS = 60_000;

/**
 * Runs a daily job from a given UTC hour on: a check at start and at every whole hour, which calls the job
 * once the hour is reached. The job decides itself whether today is already done (the lease in the state
 * store), so a restart, a failed run or a second instance costs a state read, not a second post.
 */
export class DailyJobTimer {
  private handle?: unknown;
  private running?: Promise<void>;

  constructor(
    private readonly hourUtc: number,
    private readonly job: (now: Date) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    private readonly clock: TimerClock = systemClock,
  ) {}

  start(): void {
    // A first check soon after start catches up a day missed while no instance ran (restart after the hour).
    this.schedule(FIRST_CHECK_MS);
  }

  stop(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** One check now: runs the job if the hour has come (and no check is still running). */
  async tick(): Promise<void> {
    const now = this.clock.now();
    if (now.getUTCHours() < this.hourUtc || this.running) return;
    this.running = this.job(now).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
    await this.running.finally(() => (this.running = undefined));
  }

  private schedule(ms: number): void {
    this.handle = this.clock.setTimeout(() => {
      void this.tick().finally(() => {
        if (this.handle !== undefined) this.schedule(HOUR_MS - (this.clock.now().getTime() % HOUR_MS));
      });
    }, ms);
  }
}
