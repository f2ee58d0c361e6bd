import type { HuntBookmark } from '../domain/bookmark';
import { EscalationError, type BookmarkStore, type CreatedBookmark, type IncidentAddition } from './bookmark-store';

/** Stands in for a local bookmark store that could not be opened at start: every escalation says why. */
export class UnavailableBookmarkStore implements BookmarkStore {
  readonly name = 'sqlite';

  constructor(private readonly reason: string) {}

  async create(): Promise<CreatedBookmark> {
    throw this.error();
  }

  async get(): Promise<HuntBookmark | undefined> {
    throw this.error();
  }

  async list(): Promise<HuntBookmark[]> {
    throw this.error();
  }

  async addToIncident(): Promise<IncidentAddition> {
    throw this.error();
  }

  private error(): EscalationError {
    return new EscalationError('unavailable', `The bookmark store could not be opened at start: ${this.reason}`);
  }
}
