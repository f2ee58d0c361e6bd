/** A benign tag: "device X is benign for hunt Y because Z", with who and when. */
export interface Exclusion {
  /** `<huntKey>|<DeviceId>`; the watchlist's SearchKey. */
  searchKey: string;
  huntKey: string;
  deviceId: string;
  deviceName: string;
  scenario: string;
  justification: string;
  taggedByUpn: string;
  taggedByAadObjectId: string;
  taggedByName: string;
  /** ISO 8601 UTC. */
  taggedAtUtc: string;
  /** ISO 8601 UTC, or '' for never. */
  expiresAtUtc: string;
}

/** What an audit entry records: a tag written or removed, a refusal, a bookmark made, a bookmark added to an incident. */
export type AuditAction = 'tag' | 'untag' | 'denied' | 'bookmark' | 'incident';

export const AUDIT_ACTIONS: readonly AuditAction[] = ['tag', 'untag', 'denied', 'bookmark', 'incident'];

export interface AuditEntry {
  action: AuditAction;
  searchKey: string;
  actorAadObjectId: string;
  actorName: string;
  actorUpn: string;
  conversationId: string;
  atUtc: string;
  detail: string;
  /**
   * What the store answered for the write this entry records ("saved", "removed (HTTP 200)", "failed: …").
   * Absent on entries that record no write (denied) and on entries written before outcomes were kept.
   */
  outcome?: string;
}

/** Where benign tags live: SQLite locally, a Sentinel watchlist in production. */
export interface ExclusionStore {
  readonly name: string;
  /**
   * Idempotent upsert keyed by searchKey. Rejects if the write did not land. With `audit`, the entry
   * recording the write is kept with it: in the same transaction (SQLite: both or neither), or with
   * the outcome the service answered (watchlist), so the audit trail never claims a write that did
   * not happen or misses one that did.
   */
  upsert(exclusion: Exclusion, audit?: AuditEntry): Promise<Exclusion>;
  /** Removes by searchKey; resolves false if there was nothing to remove. `audit` as for upsert. */
  remove(searchKey: string, audit?: AuditEntry): Promise<boolean>;
  /** Lists tags, optionally for one hunt key; includes expired ones (callers filter). */
  list(huntKey?: string): Promise<Exclusion[]>;
  /** Appends an entry that records no write (a refusal) to the audit trail; never rewrites. */
  audit(entry: AuditEntry): Promise<void>;
  /** The append-only audit trail, oldest first (watchlist mode: its local copy); absent when the store keeps none it can read. */
  auditTrail?(): Promise<AuditEntry[]>;
  /** A cheap integrity check for readiness probes: undefined when healthy, else the reason (may name server paths). */
  checkHealth?(): Promise<string | undefined>;
  close?(): Promise<void>;
}

export function searchKeyOf(huntKey: string, deviceId: string): string {
  return `${huntKey}|${deviceId}`;
}

export function isActive(exclusion: Exclusion, now: Date): boolean {
  return exclusion.expiresAtUtc === '' || Date.parse(exclusion.expiresAtUtc) > now.getTime();
}
