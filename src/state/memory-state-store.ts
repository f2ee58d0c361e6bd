import { StateConflictError, type StateStore, type Versioned } from './state-store';

/** In-process state for local use and tests; bounded so a long-running bot does not grow without end. */
export class MemoryStateStore implements StateStore {
  readonly name = 'memory';
  private readonly items = new Map<string, { json: string; etag: string }>();
  private version = 0;

  constructor(private readonly capacity = 2000) {}

  async read<T>(key: string): Promise<Versioned<T> | undefined> {
    const item = this.items.get(key);
    return item ? { value: JSON.parse(item.json) as T, etag: item.etag } : undefined;
  }

  async write<T>(key: string, value: T, etag?: string): Promise<string> {
    const current = this.items.get(key);
    // '*new*' means "only if absent"; any other etag must match the stored one.
    if (etag !== undefined && (etag === '*new*' ? current !== undefined : current?.etag !== etag)) throw new StateConflictError(key);
    const next = { json: JSON.stringify(value), etag: String(++this.version) };
    this.items.delete(key);
    this.items.set(key, next);
    while (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value as string);
    return next.etag;
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }
}
