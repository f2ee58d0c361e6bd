import { QueryFailure } from '../domain/query-failure';
import { cancelledFailure } from './cancelled';
import { FairQueue } from './fair-queue';
import { startTask } from './start-task';

export interface QuerySchedulerOptions {
  /** Backend queries running at once over all users (default 5). */
  maxConcurrent?: number;
  /** Backend queries one user may have running at once (default 2). */
  maxPerUser?: number;
}

/** Work the scheduler starts when its turn comes; the signal aborts when the caller cancels. */
export type ScheduledTask<T> = (signal: AbortSignal) => Promise<T>;

export interface ScheduleOptions {
  /** Aborting it takes a waiting task out of the queue, or reaches a running task through its signal. */
  signal?: AbortSignal;
  /**
   * The task's 1-based place in the queue, each time it changes; 0 when it starts. Called
   * synchronously: it must not throw, and async work it starts (a card update) handles its own errors.
   */
  onPosition?: (position: number) => void;
}

export interface SchedulerStats {
  running: number;
  queued: number;
  byUser: Record<string, { running: number; queued: number }>;
  /** Milliseconds until tasks start again after the workspace throttled us (0 when not paused). */
  pausedForMs: number;
}

interface Waiting {
  user: string;
  start(): void;
  onPosition?: (position: number) => void;
  position?: number;
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Limits concurrent backend queries globally and per user. Tasks beyond the limits wait in a fair
 * queue (round-robin across users, FIFO within a user), so during an incident one responder's ten
 * hunts cannot starve another responder's one.
 */
export class QueryScheduler {
  private readonly maxConcurrent: number;
  private readonly maxPerUser: number;
  private readonly queue = new FairQueue<Waiting>();
  private readonly runningByUser = new Map<string, number>();
  private running = 0;
  private pausedUntil = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: QuerySchedulerOptions = {}) {
    this.maxConcurrent = positiveInteger('maxConcurrent', options.maxConcurrent ?? 5);
    this.maxPerUser = positiveInteger('maxPerUser', options.maxPerUser ?? 2);
  }

  /**
   * Runs `task` once a slot is free for `userKey` and settles like it. Rejects with QueryFailure
   * 'cancelled' when the signal aborts before the task started.
   */
  schedule<T>(userKey: string, task: ScheduledTask<T>, options: ScheduleOptions = {}): Promise<T> {
    const { signal, onPosition } = options;
    if (signal?.aborted) return Promise.reject(cancelledFailure('The hunt was cancelled before it started.'));
    return new Promise<T>((resolve, reject) => {
      const leaveQueue = (): void => {
        if (!this.queue.remove(userKey, waiting)) return;
        reject(cancelledFailure('The hunt was cancelled while it waited for its turn.'));
        this.reportPositions();
      };
      const waiting: Waiting = {
        user: userKey,
        onPosition,
        start: () => {
          signal?.removeEventListener('abort', leaveQueue);
          this.running++;
          this.runningByUser.set(userKey, (this.runningByUser.get(userKey) ?? 0) + 1);
          report(waiting, 0);
          startTask(task, signal ?? NEVER_ABORTED).then(
            (value) => {
              this.finished(userKey);
              resolve(value);
            },
            (error: unknown) => {
              this.pauseIfThrottled(error);
              this.finished(userKey);
              reject(error);
            },
          );
        },
      };
      signal?.addEventListener('abort', leaveQueue, { once: true });
      this.queue.push(userKey, waiting);
      this.pump();
    });
  }

  stats(): SchedulerStats {
    const byUser: SchedulerStats['byUser'] = {};
    for (const [user, running] of this.runningByUser) byUser[user] = { running, queued: 0 };
    for (const waiting of this.queue.order()) {
      byUser[waiting.user] ??= { running: 0, queued: 0 };
      byUser[waiting.user].queued++;
    }
    return { running: this.running, queued: this.queue.size, byUser, pausedForMs: Math.max(0, this.pausedUntil - Date.now()) };
  }

  private finished(user: string): void {
    this.running--;
    const left = (this.runningByUser.get(user) ?? 1) - 1;
    if (left > 0) this.runningByUser.set(user, left);
    else this.runningByUser.delete(user);
    this.pump();
  }

  /** Starts waiting tasks while slots are free (and the workspace is not throttling us). */
  private pump(): void {
    const pausedForMs = this.pausedUntil - Date.now();
    if (pausedForMs > 0) {
      this.resumeAfter(pausedForMs);
    } else {
      while (this.running < this.maxConcurrent) {
        const next = this.queue.take((user) => (this.runningByUser.get(user) ?? 0) < this.maxPerUser);
        if (!next) break;
        next.start();
      }
    }
    this.reportPositions();
  }

  private reportPositions(): void {
    this.queue.order().forEach((waiting, index) => report(waiting, index + 1));
  }

  /**
   * The backend already retried the 429; a task still failing with it means the workspace wants
   * fewer queries, so nobody's next query starts before Retry-After. Running tasks are left alone.
   */
  private pauseIfThrottled(error: unknown): void {
    if (!(error instanceof QueryFailure) || error.kind !== 'throttled') return;
    const retryAfterMs = error.details.retryAfterMs ?? 0;
    if (!(retryAfterMs > 0) || Date.now() + retryAfterMs <= this.pausedUntil) return;
    this.pausedUntil = Date.now() + retryAfterMs;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    this.resumeAfter(retryAfterMs);
  }

  /** Pumps again when the pause is over; pump re-arms it should the timer fire a little early. */
  private resumeAfter(ms: number): void {
    if (this.resumeTimer) return;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      this.pump();
    }, ms);
    // A pause must not keep a finished process alive.
    this.resumeTimer.unref?.();
  }
}

function report(waiting: Waiting, position: number): void {
  if (waiting.position === position) return;
  waiting.position = position;
  try {
    waiting.onPosition?.(position);
  } catch {
    // A failing progress report must not stall the queue for everyone else.
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`QueryScheduler: ${name} must be a positive integer, got ${value}`);
  return value;
}
