import type { IncidentLink } from './hunt-run';

/** An entity of a bookmark, in Sentinel's entity-mapping shape (entityType plus up to 3 identifiers). */
export interface BookmarkEntityMapping {
  entityType: string;
  fieldMappings: Array<{ identifier: string; value: string }>;
}

/**
 * A hunting bookmark made from one hit of one run: what Sentinel keeps (Microsoft.SecurityInsights/bookmarks)
 * plus what the bot needs to show and find it again. The id is derived from run and device, so pressing
 * twice names the same bookmark.
 */
export interface HuntBookmark {
  bookmarkId: string;
  runId: string;
  huntKey: string;
  displayName: string;
  /** The exact KQL that ran (every query of the run, for `all`). */
  query: string;
  /** ISO 8601 UTC: the window that ran. */
  queryStartTime: string;
  queryEndTime: string;
  /** The hit's last event, ISO 8601 UTC, when known. */
  eventTime?: string;
  /** The hit's result row as JSON. */
  queryResult: string;
  notes: string;
  labels: string[];
  entityMappings: BookmarkEntityMapping[];
  deviceId: string;
  deviceName: string;
  createdByAadObjectId: string;
  createdByName: string;
  createdAtUtc: string;
  /** The bookmark in the portal; '' when kept locally. */
  url: string;
  incidents: IncidentLink[];
}

/** An incident offered in the "Add to incident" form. */
export interface IncidentSummary {
  number: number;
  incidentId: string;
  title: string;
  status: string;
  createdTimeUtc: string;
  url: string;
}
