/** A promise the test settles by hand, so concurrency tests need no sleeps. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Named tasks that record when they start and finish only when the test says so: `task('a1')` is the
 * work, `finish('a1')` / `fail('a1', e)` settle it, `started` lists names in start order.
 */
export class ControllableTasks {
  readonly started: string[] = [];
  readonly signals = new Map<string, AbortSignal>();
  private readonly pending = new Map<string, Deferred<string>>();

  task(name: string): (signal: AbortSignal) => Promise<string> {
    return (signal) => {
      this.started.push(name);
      this.signals.set(name, signal);
      const work = deferred<string>();
      this.pending.set(name, work);
      return work.promise;
    };
  }

  finish(name: string): void {
    this.settle(name).resolve(`result of ${name}`);
  }

  fail(name: string, error: unknown): void {
    this.settle(name).reject(error);
  }

  private settle(name: string): Deferred<string> {
    const work = this.pending.get(name);
    if (!work) throw new Error(`task ${name} has not started`);
    this.pending.delete(name);
    return work;
  }
}
