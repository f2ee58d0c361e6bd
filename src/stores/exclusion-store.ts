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

export interface AuditEntry {
  action: 'tag' | 'untag' | 'denied';
  searchKey: string;
  actorAadObjectId: string;
  actorName: string;
  actorUpn: string;
  conversationId: string;
  atUtc: string;
  detail: string;
}

/** Where benign tags live: SQLite locally, a Sentinel watchlist in production. */
export interface ExclusionStore {
  readonly name: string;
  /** Idempotent upsert keyed by searchKey. Rejects if the write did not land. */
  upsert(exclusion: Exclusion): Promise<Exclusion>;
  /** Removes by searchKey; resolves false if there was nothing to remove. */
  remove(searchKey: string): Promise<boolean>;
  /** Lists tags, optionally for one hunt key; includes expired ones (callers filter). */
  list(huntKey?: string): Promise<Exclusion[]>;
  /** Appends to the audit trail; never rewrites. */
  audit(entry: AuditEntry): Promise<void>;
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
