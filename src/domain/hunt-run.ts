import type { AzureCloudName } from './cloud';
import type { QueryFailureKind } from './query-failure';
import type { BenignScenario } from './hunt-definition';
import type { DataWarning } from './data-warning';
import type { AbsoluteRange, HuntScope } from './hunt-request';

/** One device's hit, shaped from a hunt's result row. */
export interface DeviceHit {
  deviceId: string;
  deviceName: string;
  firstSeen: string | null;
  lastSeen: string | null;
  count: number;
  reports: Array<string | number>;
  /** Signal kinds that fired (for `all`), or the tool named per hit (for `any`). */
  signals: string[];
  /** Other evidence columns (accounts, remote URLs, file names, tool), already stringified. */
  evidence: Array<{ name: string; values: string[] }>;
  /** Set when a responder tagged this device benign for the hunt. */
  tag?: HitTag;
  /** Set when a responder bookmarked this hit (a Sentinel hunting bookmark, or its local copy). */
  bookmark?: HitBookmark;
}

/** A bookmark made from a hit, as the card shows it: who, when, where to open it, which incidents it joined. */
export interface HitBookmark {
  bookmarkId: string;
  byName: string;
  byAadObjectId: string;
  atUtc: string;
  /** The bookmark in the portal; '' when it is kept in the local store. */
  url: string;
  incidents?: IncidentLink[];
}

/** An incident a bookmark was added to. `incidentId`/`url` are '' when recorded locally (no Sentinel). */
export interface IncidentLink {
  number: number;
  incidentId: string;
  title: string;
  url: string;
}

/** A benign tag as the card shows it: what, who, when, until when. */
export interface HitTag {
  scenarioId: string;
  scenarioTitle: string;
  justification: string;
  byName: string;
  byAadObjectId: string;
  atUtc: string;
  /** '' for never. */
  expiresAtUtc: string;
  /** The stored tag's SearchKey and how far it reaches (absent on runs stored before tag scopes: this device). */
  searchKey?: string;
  scope?: 'device' | 'family-device' | 'tool-everywhere';
}

export interface RunQuery {
  huntId: string;
  kind: string;
  kql: string;
  durationMs: number;
  rowCount: number;
  partialError?: { code: string; message: string };
  /** Tables the query read that hold no data, or rows of them it could not see (embedded engine). */
  dataWarnings?: DataWarning[];
  /** What the backend wants the responder to know about this query (throttled and retried, rows cut off). */
  notes?: string[];
}

export interface RunFailure {
  kind: QueryFailureKind;
  message: string;
  advice: string;
  detail: string;
}

/**
 * A hunt run as the bot keeps it: enough to render, page and validate card actions later. What a run has
 * depends on where it is: only a finished run has `finishedAt`, only a failed one has `failure`.
 */
export type HuntRun = RunningHuntRun | DoneHuntRun | FailedHuntRun;

export interface RunningHuntRun extends HuntRunFields {
  status: 'running';
  finishedAt?: never;
  failure?: never;
}

export interface DoneHuntRun extends HuntRunFields {
  status: 'done';
  finishedAt: string;
  failure?: never;
}

export interface FailedHuntRun extends HuntRunFields {
  status: 'failed';
  finishedAt: string;
  failure: RunFailure;
}

/** What every run has, whatever its status. */
export interface HuntRunFields {
  runId: string;
  correlationId: string;
  huntKey: string;
  title: string;
  kind: string;
  windowText: string;
  cappedFrom?: string;
  /** Why the window was capped when the limit was the backend's rather than the hunt's. */
  cappedBecause?: string;
  windowStart: string;
  windowEnd: string;
  /** Set for a window given as datetimes: how it was read (the card shows it in the sender's zone too). */
  absoluteWindow?: RunAbsoluteWindow;
  /** Set when the hunt was asked for one device only (`on <device>`). */
  scope?: HuntScope;
  backend: string;
  backendDescription: string;
  requestedBy: { id: string; name: string; aadObjectId: string };
  /**
   * AAD object ids of the conversation's members when the result was rendered (first 60), for the card's
   * refresh `userIds`; absent when they could not be read (the card then names the people who acted on the run).
   */
  audience?: string[];
  /**
   * Where the run was started; its card actions are accepted only from there. Absent on runs stored
   * before the bot recorded it: card actions on those are refused (the person is asked to run the hunt again).
   */
  conversation?: RunConversation;
  startedAt: string;
  queries: RunQuery[];
  hits: DeviceHit[];
  /** Hits of devices already tagged benign for this hunt when it ran; shown only on request. */
  hidden: DeviceHit[];
  totalEvents: number;
  /** The benign scenarios the tag form offers (from the hunt definition). */
  scenarios: BenignScenario[];
  /** Set when this run joined an identical hunt in flight, or reused a recent result. */
  reuse?: RunReuse;
  /** The command that started the run, to run it again. */
  command?: string;
  /** Things the responder should know about this result (shown on the card). */
  warnings?: string[];
  /** Where the portal links on the card point. */
  portal?: PortalContext;
  /** What a row is about when it is not a device: an Azure-Sentinel hunt's first entity mapping (`Host`, `Account`, `IP`, …). */
  entityType?: string;
  /** Why this result's rows cannot be tagged benign (a query without entity mappings); absent when they can. */
  untaggable?: string;
  /** A lookup's subject: what was asked about (`lookup hash <value>`); absent on hunts. */
  entity?: RunEntity;
  /** Hashes, domains and IPs the lookup's result shows, each offered as a one-click lookup (by index). */
  pivots?: LookupPivot[];
  /** A device lookup's "RMM tools seen" section (absent on other runs and on runs stored before it existed). */
  deviceTools?: DeviceToolsSection;
}

/** One catalogued tool seen on one device of a device lookup: which signals, how often, when. */
export interface DeviceToolSeen {
  toolName: string;
  /** The tool's hunt key (`rmm/anydesk`): the key its benign tags are stored under. */
  huntKey: string;
  deviceId: string;
  deviceName: string;
  /** The signal kinds that fired, in words ("file signature", "process", "network connection"). */
  kinds: string[];
  count: number;
  firstSeen: string | null;
  lastSeen: string | null;
  /** Set on tools hidden as benign: the tag that hides them. */
  tag?: HitTag;
}

/** What a device lookup's "RMM tools seen" section found, hid, and could not look at. */
export interface DeviceToolsSection {
  family: string;
  /** Tools and hunts (signals) that ran and could see their data. */
  toolsChecked: number;
  signalsChecked: number;
  signalsTotal: number;
  seen: DeviceToolSeen[];
  hidden: DeviceToolSeen[];
  /** One sentence per signal kind that could not be looked at, with why (a missing table, a failed query). */
  couldNotLook: string[];
  /** Set when the lookup's deadline passed: which signal kinds of which tools were never looked at. */
  notLookedAt?: string[];
  /** Other things the responder should know (the benign tags could not be read). */
  notes: string[];
  queryMs: number;
}

/** The entity a lookup run is about. */
export interface RunEntity {
  /** The lookup word: device, hash, domain, url, ip, user, or a HUNTS_DIR lookup's own. */
  lookup: string;
  /** The argument's type and canonical value. */
  type: string;
  value: string;
}

/** Something a result shows that can be looked up next: `lookup <lookup> <value>`. */
export interface LookupPivot {
  lookup: 'hash' | 'domain' | 'ip';
  value: string;
}

/** What a run keeps of an absolute window besides its instants (JSON-safe). */
export type RunAbsoluteWindow = Pick<AbsoluteRange, 'form' | 'endsNow' | 'senderZone' | 'notes'>;

/** A Teams conversation (channel thread, group chat or 1:1 chat) and its tenant, from the authenticated activity. */
export interface RunConversation {
  id: string;
  tenantId: string;
}

export interface RunReuse {
  kind: 'joined' | 'cached';
  /** When the shared result was produced (ISO 8601). */
  producedAt: string;
}

export interface PortalContext {
  cloud: AzureCloudName;
  tenantId: string;
  /** ARM id of the Sentinel workspace, when configured (for the Sentinel Logs link). */
  workspaceResourceId?: string;
}
