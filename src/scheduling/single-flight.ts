import { cancelledFailure } from './cancelled';
import { startTask } from './start-task';

export interface SingleFlightOptions {
  /** How long a completed result is reused, in milliseconds (default 60 s; 0 disables reuse). */
  ttlMs?: number;
  /** Clock for result ages (default Date.now). */
  now?: () => number;
}

export interface FlightOptions {
  /** Aborting it drops this caller only; the work stops when every caller has dropped. */
  signal?: AbortSignal;
  /** Skip a reused result (the card's "Run again"); still joins work already in flight for the key. */
  fresh?: boolean;
}

export interface Flight<T> {
  /** This caller's view of the work: rejects with QueryFailure 'cancelled' when its own signal aborts. */
  promise: Promise<T>;
  /** False for the caller that started the work; true when it joined running work or reused a result. */
  shared: boolean;
  /** When the reused result completed; only set for a reused result. */
  cachedAt?: Date;
}

/** Work shared by everyone asking for the same key while it runs. */
interface Work<T> {
  readonly controller: AbortController;
  readonly promise: Promise<T>;
  subscribers: number;
}

/**
 * Collapses identical requests: while work for a key runs, further requests attach to it, and a
 * result younger than the TTL is handed out again. Failures are never reused. The shared value is
 * the same object for every caller: treat it as read-only.
 */
export class SingleFlight<K, T> {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly running = new Map<K, Work<T>>();
  private readonly results = new Map<K, { value: T; at: number }>();

  constructor(options: SingleFlightOptions = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    if (!(this.ttlMs >= 0)) throw new RangeError(`SingleFlight: ttlMs must be 0 or more, got ${options.ttlMs}`);
    this.now = options.now ?? Date.now;
  }

  /** Runs `start` for `key` unless the same key is already running or completed within the TTL. */
  run(key: K, start: (signal: AbortSignal) => Promise<T>, options: FlightOptions = {}): Flight<T> {
    const { signal, fresh = false } = options;
    if (signal?.aborted) return { promise: Promise.reject(cancelledFailure('The hunt was cancelled before it started.')), shared: false };
    this.dropExpired();
    const reusable = fresh ? undefined : this.results.get(key);
    if (reusable) return { promise: Promise.resolve(reusable.value), shared: true, cachedAt: new Date(reusable.at) };
    const running = this.running.get(key);
    const work = running ?? this.begin(key, start);
    return { promise: this.subscribe(key, work, signal), shared: running !== undefined };
  }

  /** Forgets a reused result, e.g. when tags changed what it should show. */
  forget(key: K): void {
    this.results.delete(key);
  }

  stats(): { running: number; cached: number } {
    this.dropExpired();
    return { running: this.running.size, cached: this.results.size };
  }

  private begin(key: K, start: (signal: AbortSignal) => Promise<T>): Work<T> {
    const controller = new AbortController();
    const promise = startTask(start, controller.signal).then(
      (value) => {
        // Work everyone abandoned (or that a newer run replaced) is not the key's result any more.
        if (this.running.get(key) === work) {
          this.running.delete(key);
          if (this.ttlMs > 0) this.results.set(key, { value, at: this.now() });
        }
        return value;
      },
      (error: unknown) => {
        if (this.running.get(key) === work) this.running.delete(key);
        throw error;
      },
    );
    // Each subscriber handles the outcome; with none left, an abandoned failure is nobody's to report.
    promise.catch(() => undefined);
    const work: Work<T> = { controller, promise, subscribers: 0 };
    this.running.set(key, work);
    return work;
  }

  /** One caller's promise on shared work; the last caller to cancel aborts the work itself. */
  private subscribe(key: K, work: Work<T>, signal: AbortSignal | undefined): Promise<T> {
    work.subscribers++;
    // A caller that cannot cancel stays subscribed for good, so the work always finishes for it.
    if (!signal) return work.promise;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = (): void => {
        if (settled) return;
        settled = true;
        reject(cancelledFailure('The hunt was cancelled.'));
        if (--work.subscribers > 0) return;
        if (this.running.get(key) === work) this.running.delete(key);
        work.controller.abort(cancelledFailure('Every requester of the hunt cancelled it.'));
      };
      signal.addEventListener('abort', leave, { once: true });
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', leave);
        finish();
      };
      work.promise.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, { at }] of this.results) if (now - at >= this.ttlMs) this.results.delete(key);
  }
}
