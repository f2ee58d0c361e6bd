/** A value read from the state store with the version it was read at. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** Thrown when a write names a version that is no longer current (someone else wrote first). */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`state "${key}" was changed by another writer`);
    this.name = 'StateConflictError';
  }
}

/** Thrown by read when what is stored under the key is not a value this bot wrote (not JSON, or not its format). */
export class StateUnreadableError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`state "${key}" is not in the format this bot writes`, options);
    this.name = 'StateUnreadableError';
  }
}

/**
 * Where run state lives so that it survives restarts and is shared by every instance: a small
 * key-value interface with optimistic concurrency (ETags). Memory locally; Azure Blob Storage when
 * configured (the bot layer adapts botbuilder's Storage to it).
 */
export interface StateStore {
  readonly name: string;
  /** Throws StateUnreadableError when the stored item cannot be read as a value. */
  read<T>(key: string): Promise<Versioned<T> | undefined>;
  /** Writes `value`; with `etag`, only if the stored version still has it (else StateConflictError). Returns the new etag. */
  write<T>(key: string, value: T, etag?: string): Promise<string>;
  delete(key: string): Promise<void>;
}

/** Read-modify-write with retries on conflict: `change` may run more than once, so it must be pure. */
export async function updateState<T>(
  store: StateStore,
  key: string,
  change: (current: T | undefined) => T,
  attempts = 8,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.read<T>(key);
    const next = change(current?.value);
    try {
      await store.write(key, next, current?.etag ?? '*new*');
      return next;
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= attempts) throw error;
    }
  }
}
