import type { AuditEntry, Exclusion, ExclusionStore } from './exclusion-store';
import { StoreReadError, StoreWriteError } from './store-errors';

/**
 * Stands in for a tag store that could not be opened at start (a file that is not a database, a
 * folder without permission). The bot still starts, answers every tag read or write with this
 * reason, and reports not-ready; restarting would not repair the file, so refusing to start would
 * only leave the channel without answers.
 */
export class UnavailableExclusionStore implements ExclusionStore {
  readonly name = 'unavailable';

  constructor(private readonly reason: string) {}

  async upsert(exclusion: Exclusion): Promise<Exclusion> {
    throw new StoreWriteError('upsert', this.message(), { searchKey: exclusion.searchKey, transient: false });
  }

  async remove(searchKey: string): Promise<boolean> {
    throw new StoreWriteError('remove', this.message(), { searchKey, transient: false });
  }

  async list(): Promise<Exclusion[]> {
    throw new StoreReadError(this.message(), { transient: false });
  }

  async audit(entry: AuditEntry): Promise<void> {
    throw new StoreWriteError('audit', this.message(), { searchKey: entry.searchKey, transient: false });
  }

  async auditTrail(): Promise<AuditEntry[]> {
    throw new StoreReadError(this.message(), { transient: false });
  }

  async checkHealth(): Promise<string> {
    return `could not be opened: ${this.reason}`;
  }

  private message(): string {
    return `The tag store could not be opened at start: ${this.reason}`;
  }
}
