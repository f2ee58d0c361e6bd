import type { BookmarkEntityMapping, HuntBookmark } from '../domain/bookmark';

/** Every bookmark the bot writes carries this label; `bookmarks` lists only those. */
export const BOOKMARK_LABEL = 'huntbot';

/** A Microsoft.SecurityInsights/bookmarks resource as ARM returns it (the parts the bot reads). */
export interface BookmarkResource {
  id?: string;
  name?: string;
  etag?: string;
  properties?: {
    displayName?: string;
    query?: string;
    queryResult?: string;
    queryStartTime?: string;
    queryEndTime?: string;
    eventTime?: string;
    notes?: string;
    labels?: string[];
    created?: string;
    techniques?: string[];
    entityMappings?: BookmarkEntityMapping[];
    incidentInfo?: { incidentId?: string; title?: string };
  };
}

const TRAILER = / — Bookmarked by (.*) \(([^()]*)\) in Microsoft Teams via Sentinel Hunt Bot · hunt (\S+) · device (\S+) · run (\S+)$/;

/**
 * The notes of a bookmark: the requester's note, then one line naming who bookmarked it, from which hunt,
 * device and run. Sentinel keeps no field for these, and the line lets the bot read its bookmarks back.
 */
export function notesWithTrailer(bookmark: Pick<HuntBookmark, 'createdByName' | 'createdByAadObjectId' | 'huntKey' | 'deviceId' | 'runId'>, note: string): string {
  const name = bookmark.createdByName.replace(/[()]/g, '') || 'someone';
  const trailer = ` — Bookmarked by ${name} (${bookmark.createdByAadObjectId}) in Microsoft Teams via Sentinel Hunt Bot · hunt ${bookmark.huntKey} · device ${encodeURIComponent(bookmark.deviceId)} · run ${bookmark.runId}`;
  return `${note}${note === '' ? '' : '\n\n'}${trailer}`;
}

/** The request body of Bookmarks_CreateOrUpdate (displayName and query are required). */
export function bookmarkRequestBody(bookmark: HuntBookmark): unknown {
  return {
    properties: {
      displayName: bookmark.displayName,
      query: bookmark.query,
      queryResult: bookmark.queryResult,
      queryStartTime: bookmark.queryStartTime,
      queryEndTime: bookmark.queryEndTime,
      ...(bookmark.eventTime ? { eventTime: bookmark.eventTime } : {}),
      notes: bookmark.notes,
      labels: bookmark.labels,
      techniques: bookmark.labels.filter((l) => /^T\d{4}(\.\d{3})?$/.test(l)),
      entityMappings: bookmark.entityMappings,
    },
  };
}

/** A bookmark read back from ARM; the bot's own fields come from the notes' last line (or `sent`, when it was just written). */
export function bookmarkFromResource(resource: BookmarkResource, sent: HuntBookmark | undefined, portalUrlOf: (id: string) => string): HuntBookmark {
  const p = resource.properties ?? {};
  const notes = p.notes ?? '';
  const trailer = TRAILER.exec(notes);
  const queryResult = p.queryResult ?? '';
  const row = parseRow(queryResult);
  return {
    bookmarkId: resource.name ?? sent?.bookmarkId ?? '',
    runId: trailer?.[5] ?? sent?.runId ?? '',
    huntKey: trailer?.[3] ?? sent?.huntKey ?? '',
    displayName: p.displayName ?? '',
    query: p.query ?? '',
    queryStartTime: p.queryStartTime ?? '',
    queryEndTime: p.queryEndTime ?? '',
    ...(p.eventTime ? { eventTime: p.eventTime } : {}),
    queryResult,
    notes,
    labels: p.labels ?? [],
    entityMappings: p.entityMappings ?? [],
    deviceId: trailer ? decodeURIComponent(trailer[4]) : typeof row.DeviceId === 'string' ? row.DeviceId : (sent?.deviceId ?? ''),
    deviceName: typeof row.DeviceName === 'string' ? row.DeviceName : (sent?.deviceName ?? ''),
    createdByName: trailer?.[1] ?? sent?.createdByName ?? '',
    createdByAadObjectId: trailer?.[2] ?? sent?.createdByAadObjectId ?? '',
    createdAtUtc: p.created ?? sent?.createdAtUtc ?? '',
    url: resource.id ? portalUrlOf(resource.id) : (sent?.url ?? ''),
    incidents: sent?.incidents ?? [],
  };
}

function parseRow(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
