import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateConflictError, type StateStore, type Versioned } from './state-store';

interface Entry {
  value: unknown;
  etag: string;
}

/**
 * A small state store in one JSON file, for the few records that must outlive a crash when run
 * state is otherwise kept in memory (the in-flight journal). Single writer: the caller holds a
 * ProcessLock on the folder. Every write replaces the file atomically (write, fsync, rename), so a
 * crash leaves the old or the new version, never half of one.
 */
export class FileStateStore implements StateStore {
  readonly name = 'file';
  private readonly items = new Map<string, Entry>();
  private version = 0;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const [key, entry] of Object.entries(readJournal(file))) {
      this.items.set(key, entry);
      this.version = Math.max(this.version, Number(entry.etag) || 0);
    }
  }

  async read<T>(key: string): Promise<Versioned<T> | undefined> {
    const entry = this.items.get(key);
    return entry ? { value: structuredClone(entry.value) as T, etag: entry.etag } : undefined;
  }

  async write<T>(key: string, value: T, etag?: string): Promise<string> {
    const current = this.items.get(key);
    if (etag !== undefined && (etag === '*new*' ? current !== undefined : current?.etag !== etag)) throw new StateConflictError(key);
    const entry = { value: structuredClone(value) as unknown, etag: String(++this.version) };
    this.items.set(key, entry);
    this.persist();
    return entry.etag;
  }

  async delete(key: string): Promise<void> {
    if (this.items.delete(key)) this.persist();
  }

  private persist(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeFileSync(fd, JSON.stringify(Object.fromEntries(this.items)));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.file);
  }
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
