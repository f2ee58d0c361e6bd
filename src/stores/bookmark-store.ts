import type { HuntBookmark, IncidentSummary } from '../domain/bookmark';
import type { IncidentLink } from '../domain/hunt-run';
import type { AuditEntry } from './exclusion-store';

/** Why an escalation did not happen, in words a responder can act on. */
export type EscalationFailureKind = 'not-found' | 'forbidden' | 'throttled' | 'unavailable' | 'conflict' | 'rejected';

/** An escalation write or read that did not land; `message` is fit for chat (no tokens, no server paths). */
export class EscalationError extends Error {
  constructor(
    readonly kind: EscalationFailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EscalationError';
  }
}

export interface CreatedBookmark {
  bookmark: HuntBookmark;
  /** False when a bookmark with this id already existed (pressed twice, or by two people at once). */
  created: boolean;
}

export interface IncidentAddition {
  incident: IncidentLink;
  /** False when the bookmark was already related to the incident. */
  newlyRelated: boolean;
  /** Set when the relation landed but the incident comment did not. */
  commentProblem?: string;
}

/**
 * Where hunting bookmarks go: Microsoft Sentinel (ARM) when a workspace is configured, the local SQLite file
 * otherwise. Every write is recorded in the audit trail with what the store answered.
 */
export interface BookmarkStore {
  readonly name: 'sqlite' | 'sentinel';
  /** Creates the bookmark unless one with its id exists; resolves the stored one either way. */
  create(bookmark: HuntBookmark, audit: AuditEntry): Promise<CreatedBookmark>;
  get(bookmarkId: string): Promise<HuntBookmark | undefined>;
  /** The bot's bookmarks, newest first. */
  list(): Promise<HuntBookmark[]>;
  /** Relates the bookmark to incident number `incidentNumber` and comments on the incident with `comment`. */
  addToIncident(bookmark: HuntBookmark, incidentNumber: number, comment: string, audit: AuditEntry): Promise<IncidentAddition>;
  /**
   * Incidents not closed, created since `since`, whose entities include the host; absent when the store has no
   * incidents. `cut`: what was not checked (the list is bounded for a button press), to say on the form.
   */
  openIncidentsWithHost?(hostName: string, since: Date): Promise<{ incidents: IncidentSummary[]; cut?: string }>;
  close?(): Promise<void>;
}
