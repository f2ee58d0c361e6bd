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
  /** One page of the trail, newest first, filtered by the database (so `audit` never loads the whole trail). */
  auditPage?(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage>;
  /** A cheap integrity check for readiness probes: undefined when healthy, else the reason (may name server paths). */
  checkHealth?(): Promise<string | undefined>;
  close?(): Promise<void>;
}

export function searchKeyOf(huntKey: string, deviceId: string): string {
  return `${huntKey}|${deviceId}`;
}

/**
 * How far a tag reaches: this tool on this device (the only scope before scopes existed), every tool of the
 * hunt's family on this device (an IT jump host running several RMM tools), or this tool on every device
 * (a sanctioned tool). The scope is written into the tag's hunt key and device, so the SearchKey format is
 * unchanged for device tags and hunts' KQL can test all three (src/hunts/render.ts).
 */
export type TagScope = 'device' | 'family-device' | 'tool-everywhere';

export const TAG_SCOPES: readonly TagScope[] = ['device', 'family-device', 'tool-everywhere'];

/** The device id of a tag for every device. */
export const EVERY_DEVICE = '*';

/** `rmm/desktopnow` → `rmm/*`: the hunt key of a tag for every tool of the family. */
export function familyKeyOf(huntKey: string): string {
  return `${huntKey.split('/')[0] ?? huntKey}/*`;
}

/** The hunt key and device a tag of this scope is stored under. */
export function scopedKeys(huntKey: string, deviceId: string, scope: TagScope): { huntKey: string; deviceId: string; searchKey: string } {
  const keys =
    scope === 'family-device' ? { huntKey: familyKeyOf(huntKey), deviceId } : scope === 'tool-everywhere' ? { huntKey, deviceId: EVERY_DEVICE } : { huntKey, deviceId };
  return { ...keys, searchKey: searchKeyOf(keys.huntKey, keys.deviceId) };
}

export function scopeOf(exclusion: Pick<Exclusion, 'huntKey' | 'deviceId'>): TagScope {
  if (exclusion.deviceId === EVERY_DEVICE) return 'tool-everywhere';
  return exclusion.huntKey.endsWith('/*') ? 'family-device' : 'device';
}

/** The tags that can apply to a hunt: its own (device or everywhere) and its family's device tags. */
export function tagsForHunt(tags: readonly Exclusion[], huntKey: string): Exclusion[] {
  const family = familyKeyOf(huntKey);
  return tags.filter((t) => t.huntKey === huntKey || t.huntKey === family);
}

/** The tag that applies to a device for a hunt, the narrowest first: this device, the family on it, every device. */
export function tagFor(byKey: ReadonlyMap<string, Exclusion>, huntKey: string, deviceId: string): Exclusion | undefined {
  return byKey.get(searchKeyOf(huntKey, deviceId)) ?? byKey.get(searchKeyOf(familyKeyOf(huntKey), deviceId)) ?? byKey.get(searchKeyOf(huntKey, EVERY_DEVICE));
}

export function isActive(exclusion: Exclusion, now: Date): boolean {
  return exclusion.expiresAtUtc === '' || Date.parse(exclusion.expiresAtUtc) > now.getTime();
}

/**
 * Which audit entries `audit` shows. A search key is `<huntKey>|<deviceId>` split at its last `|`.
 * `deviceIds`: entries whose device id is one of these exactly; `deviceNeedle`: or equal to it ignoring ASCII case.
 */
export interface AuditFilter {
  huntKey?: string;
  family?: string;
  /** ISO time; entries at or after it. */
  sinceUtc?: string;
  deviceNeedle?: string;
  deviceIds?: readonly string[];
}

export interface AuditPage {
  /** How many entries match in all. */
  total: number;
  entries: AuditEntry[];
}
