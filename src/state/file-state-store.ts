import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateConflictError, type StateStore, type Versioned } from './state-store';

/** A record as the file holds it: `{ value, etag }`. */
interface Entry {
  value: unknown;
  etag: string;
}

/** A record in memory: its value as JSON text (parsed on read, so callers never share it; spliced into the file as is). */
interface Item {
  json: string;
  etag: string;
}

/**
 * A small state store in one JSON file, for the few records that must outlive a crash when run
 * state is otherwise kept in memory (the in-flight journal). Single writer: the caller holds a
 * ProcessLock on the folder. Every write replaces the file atomically (write, fsync, rename), so a
 * crash leaves the old or the new version, never half of one. A write resolves once the file holds
 * it; the file is written off the event loop (an fsync takes 5–50 ms on a busy disk, and a burst of
 * hunts wrote it twice each), and changes made while one file write is under way share the next one.
 */
export class FileStateStore implements StateStore {
  readonly name = 'file';
  private readonly items = new Map<string, Item>();
  private version = 0;
  /** The file write under way. */
  private writing?: Promise<void>;
  /** The next file write, not started yet: every change made until it starts is in it. */
  private queued?: Promise<void>;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const [key, entry] of Object.entries(readJournal(file))) {
      this.items.set(key, { json: JSON.stringify(entry.value) ?? 'null', etag: entry.etag });
      this.version = Math.max(this.version, Number(entry.etag) || 0);
    }
  }

  async read<T>(key: string): Promise<Versioned<T> | undefined> {
    const item = this.items.get(key);
    return item ? { value: JSON.parse(item.json) as T, etag: item.etag } : undefined;
  }

  async write<T>(key: string, value: T, etag?: string): Promise<string> {
    const current = this.items.get(key);
    if (etag !== undefined && (etag === '*new*' ? current !== undefined : current?.etag !== etag)) throw new StateConflictError(key);
    const item = { json: JSON.stringify(value) ?? 'null', etag: String(++this.version) };
    this.items.set(key, item);
    await this.persist();
    return item.etag;
  }

  async delete(key: string): Promise<void> {
    if (this.items.delete(key)) await this.persist();
  }

  /** Resolves when the file holds every change made so far (group commit: one file write for the changes of a burst). */
  private persist(): Promise<void> {
    if (!this.queued) {
      const previous = this.writing ?? Promise.resolve();
      const next: Promise<void> = previous
        .catch(() => undefined)
        .then(async () => {
          this.queued = undefined;
          this.writing = next;
          try {
            await replaceFile(this.file, this.fileText());
          } finally {
            if (this.writing === next) this.writing = undefined;
          }
        });
      this.queued = next;
    }
    return this.queued;
  }

  /** The journal as `{ key: { value, etag } }`, from the values' JSON as kept (nothing serialised twice). */
  private fileText(): string {
    const records = [...this.items].map(([key, item]) => `${JSON.stringify(key)}:{"value":${item.json},"etag":${JSON.stringify(item.etag)}}`);
    return `{${records.join(',')}}`;
  }
}

/** Write, fsync, rename: a crash leaves the old file or the new one. */
async function replaceFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
}

/** The journal's records; a missing or unreadable file is an empty journal (it only ever holds markers). */
function readJournal(file: string): Record<string, Entry> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}
