import type { BookmarkEntityMapping, HuntBookmark } from '../domain/bookmark';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import { rowNoun } from '../domain/entity-noun';
import type { Requester } from '../domain/requester';
import { notesWithTrailer, BOOKMARK_LABEL } from '../stores/sentinel-bookmark-shape';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { uuidV5 } from '../util/uuid-v5';

/**
 * Fixed namespace for bookmark ids: uuidv5(namespace, "<runId>|<DeviceId>"). Never change it: pressing
 * "Bookmark" again on the same row must name the same bookmark.
 */
export const BOOKMARK_NAMESPACE = '5d2a4f0e-8c1b-5e3a-9f47-2b6c8d1e0a93';

export const NOTE_MAX = 1000;
const DISPLAY_NAME_MAX = 200;

/** The bookmark id of one row of one run: the same press twice names the same bookmark. */
export function bookmarkIdOf(runId: string, deviceId: string): string {
  return uuidV5(BOOKMARK_NAMESPACE, `${runId}|${deviceId}`);
}

/** Cleans the requester's note: unsafe characters removed, length limited. */
export function cleanNote(raw: unknown): { text: string; tooLong: boolean } {
  const text = typeof raw === 'string' ? cleanDisplayText(raw).replace(/\r\n?/g, '\n').trim() : '';
  return text.length > NOTE_MAX ? { text: text.slice(0, NOTE_MAX), tooLong: true } : { text, tooLong: false };
}

/**
 * The bookmark of a hit, from the run kept server-side: the hunt's name, the exact KQL and window that ran,
 * the row as the query result, the device as a Host entity, the note, and labels (huntbot, hunt ids, techniques).
 */
export function bookmarkOf(
  run: HuntRun,
  hit: DeviceHit,
  note: string,
  actor: Requester,
  now: Date,
  techniquesOf: (huntId: string) => readonly string[],
): HuntBookmark {
  const huntIds = [...new Set(run.queries.map((q) => q.huntId))];
  const techniques = [...new Set(huntIds.flatMap((id) => techniquesOf(id)))];
  const base = {
    bookmarkId: bookmarkIdOf(run.runId, hit.deviceId),
    runId: run.runId,
    huntKey: run.huntKey,
    deviceId: hit.deviceId,
    deviceName: cleanName(hit.deviceName),
    createdByAadObjectId: actor.aadObjectId,
    createdByName: cleanName(actor.name),
  };
  return {
    ...base,
    displayName: `${cleanName(run.title)} — ${base.deviceName || hit.deviceId}`.slice(0, DISPLAY_NAME_MAX),
    query: queryOf(run),
    queryStartTime: run.windowStart,
    queryEndTime: run.windowEnd,
    ...(hit.lastSeen ? { eventTime: hit.lastSeen } : {}),
    queryResult: JSON.stringify(rowOf(hit)),
    notes: notesWithTrailer(base, note),
    labels: [BOOKMARK_LABEL, ...huntIds, ...techniques],
    entityMappings: entitiesOf(run, hit),
    createdAtUtc: now.toISOString(),
    url: '',
    incidents: [],
  };
}

/** The exact KQL that ran; a run over several signal kinds names each query's kind. */
function queryOf(run: HuntRun): string {
  if (run.queries.length === 1) return run.queries[0]!.kql;
  return run.queries.map((q) => `// ${q.kind}: ${q.huntId}\n${q.kql}`).join('\n\n');
}

/** The hit's result row with the hunt's column names. */
function rowOf(hit: DeviceHit): Record<string, unknown> {
  const row: Record<string, unknown> = {
    DeviceId: hit.deviceId,
    DeviceName: hit.deviceName,
    FirstSeen: hit.firstSeen,
    LastSeen: hit.lastSeen,
    Count: hit.count,
    ReportIds: hit.reports,
  };
  if (hit.signals.length > 0) row.Signals = hit.signals;
  for (const e of hit.evidence) row[e.name] = e.values;
  return row;
}

/** Evidence columns that name an entity Sentinel knows, and the identifier each value fills. */
const EVIDENCE_ENTITIES: Array<{ column: RegExp; entityType: string; identifier: string; extra?: { identifier: string; value: string } }> = [
  { column: /^(Remote)?IP(s)?$|^RemoteIPs?$/i, entityType: 'IP', identifier: 'Address' },
  { column: /^RemoteUrls?$|^Urls?$|^Domains?$/i, entityType: 'DNS', identifier: 'DomainName' },
  { column: /^(Initiating)?(Process)?AccountNames?$|^Accounts?$/i, entityType: 'Account', identifier: 'Name' },
  { column: /^SHA256s?$/i, entityType: 'FileHash', identifier: 'Value', extra: { identifier: 'Algorithm', value: 'SHA256' } },
  { column: /^SHA1s?$/i, entityType: 'FileHash', identifier: 'Value', extra: { identifier: 'Algorithm', value: 'SHA1' } },
];
const EVIDENCE_VALUES_MAX = 5;

/** Entity kinds of Azure-Sentinel rows a bookmark can name (see `primaryEntityOf`). */
const BOOKMARKABLE_ENTITIES = ['Host', 'Account', 'IP', 'URL', 'FileHash'];

/** Why rows of this run cannot be bookmarked (an entity kind the bot does not map); undefined when they can. */
export function unbookmarkableReason(run: { entityType?: string }): string | undefined {
  if (run.entityType === undefined || BOOKMARKABLE_ENTITIES.includes(run.entityType)) return undefined;
  return `Rows about a ${rowNoun(run).singular} cannot be bookmarked yet: the bot maps only hosts, accounts, IP addresses, URLs and file hashes to Sentinel entities. Nothing was written.`;
}

/**
 * What the row is about as a Sentinel entity: the device (or a Sentinel Host row) as a Host (FullName, HostName,
 * DnsDomain; the Defender DeviceId has no Host identifier, so it stays in the query result), or the Account, IP,
 * URL or FileHash an Azure-Sentinel row is grouped by, plus hashes, domains, IPs and accounts the hunt returned.
 */
function entitiesOf(run: HuntRun, hit: DeviceHit): BookmarkEntityMapping[] {
  const more = evidenceEntitiesOf(hit);
  const prefix = `${run.entityType}:`;
  if (run.entityType === undefined || run.entityType === 'Host' || !hit.deviceId.startsWith(prefix)) return [hostOf(hit), ...more];
  const value = cleanName(hit.deviceId.slice(prefix.length));
  return [primaryEntityOf(run.entityType, value), ...more];
}

function hostOf(hit: DeviceHit): BookmarkEntityMapping {
  const name = cleanName(hit.deviceName);
  const dot = name.indexOf('.');
  return {
    entityType: 'Host',
    fieldMappings: [
      { identifier: 'FullName', value: name || hit.deviceId },
      { identifier: 'HostName', value: dot > 0 ? name.slice(0, dot) : name || hit.deviceId },
      ...(dot > 0 ? [{ identifier: 'DnsDomain', value: name.slice(dot + 1) }] : []),
    ],
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HASH_ALGORITHMS: Readonly<Record<number, string>> = { 32: 'MD5', 40: 'SHA1', 64: 'SHA256' };

/** The row's entity with Sentinel's identifiers for its kind; the kind is one `unbookmarkableReason` accepts. */
function primaryEntityOf(entityType: string, value: string): BookmarkEntityMapping {
  const one = (identifier: string) => ({ entityType, fieldMappings: [{ identifier, value }] });
  switch (entityType) {
    case 'Account': {
      if (GUID.test(value)) return one('AadUserId');
      const at = value.lastIndexOf('@');
      if (at > 0) return { entityType, fieldMappings: [{ identifier: 'Name', value: value.slice(0, at) }, { identifier: 'UPNSuffix', value: value.slice(at + 1) }] };
      const slash = value.indexOf('\\');
      if (slash > 0) return { entityType, fieldMappings: [{ identifier: 'Name', value: value.slice(slash + 1) }, { identifier: 'NTDomain', value: value.slice(0, slash) }] };
      return one('Name');
    }
    case 'IP':
      return one('Address');
    case 'URL':
      return one('Url');
    case 'FileHash':
      return { entityType, fieldMappings: [{ identifier: 'Algorithm', value: HASH_ALGORITHMS[value.length] ?? 'Unknown' }, { identifier: 'Value', value }] };
    default:
      throw new Error(`no Sentinel entity mapping for ${entityType} rows`);
  }
}

function evidenceEntitiesOf(hit: DeviceHit): BookmarkEntityMapping[] {
  const more: BookmarkEntityMapping[] = [];
  for (const e of hit.evidence) {
    const kind = EVIDENCE_ENTITIES.find((k) => k.column.test(e.name));
    if (!kind) continue;
    for (const value of e.values.slice(0, EVIDENCE_VALUES_MAX)) {
      if (value.trim() === '') continue;
      more.push({ entityType: kind.entityType, fieldMappings: [{ identifier: kind.identifier, value: cleanName(value) }, ...(kind.extra ? [kind.extra] : [])] });
    }
  }
  return more;
}
