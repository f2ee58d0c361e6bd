import { cancelledFailure } from './cancelled';

/**
 * Counts the user requests the bot is answering (authenticated Teams messages and card presses,
 * while their turn runs). Background work that can wait — a hunt's query, a finished hunt's result card — waits while any are in
 * progress, so a burst of results never queues a new hunt's running card behind it; it waits at most
 * `maxDeferMs`, so a steady stream of requests delays results by that much and never starves them.
 */
export class ForegroundRequests {
  private active = 0;
  private readonly waiters = new Set<() => void>();
  /** Background steps that found requests in progress and waited for them (for /healthz and tests). */
  private deferredSteps = 0;

  constructor(private readonly maxDeferMs = 250) {}

  /** A request arrived; call the returned function once when it has been answered (extra calls do nothing). */
  enter(): () => void {
    this.active++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.active--;
      if (this.active === 0) this.wakeAll();
    };
  }

  get inProgress(): number {
    return this.active;
  }

  /** Resolves at once when no request is in progress; else when none is, or after maxDeferMs. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    this.deferredSteps++;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.maxDeferMs);
      timer.unref();
      this.waiters.add(done);
    });
  }

  /**
   * Starts `task` once the requests in progress are answered (at most maxDeferMs later), and not at all if
   * `signal` aborted meanwhile: a burst is acknowledged before it is computed, since the computing (engine
   * threads, the parser process) shares the machine's cores with the thread that answers Teams.
   */
  async startAfter<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.idle();
    if (signal?.aborted) throw cancelledFailure('The hunt was cancelled before it started.');
    return task();
  }

  stats(): { inProgress: number; deferredSteps: number } {
    return { inProgress: this.active, deferredSteps: this.deferredSteps };
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
