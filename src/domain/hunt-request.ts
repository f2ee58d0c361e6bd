import type { CatalogTool, HuntArgumentValue, HuntDefinition } from './hunt-definition';

/** A hunt window as the user wrote it and in milliseconds. */
export interface HuntWindow {
  /** `5d` for "the last 5 days"; for an absolute window, the text that asks for it again (UTC, e.g. `since 2026-12-01T13:05Z`). */
  text: string;
  ms: number;
  /** Set for a window given as datetimes (`since`, `..`, `around`): fixed instants instead of "the last `ms` before now". */
  range?: AbsoluteRange;
}

/** An absolute window: its instants, and how they were read (the card says so). */
export interface AbsoluteRange {
  form: 'since' | 'between' | 'around';
  start: Date;
  end: Date;
  /** `since` windows, and windows whose asked-for end was in the future, end at the moment they were asked. */
  endsNow: boolean;
  /** The sender's IANA time zone, when known: the card shows the window in it too. */
  senderZone?: string;
  /** How the datetimes were read and what was adjusted (zone used, end clamped, a time that happens twice). */
  notes: string[];
}

/** `hunt ... on <device>`: the run shows only this device (DeviceName or DeviceId, as the user wrote it). */
export interface HuntScope {
  device: string;
}

/** The time window a hunt covers; always passed both in the KQL and (for Log Analytics) as the API timespan. */
export interface QueryWindow {
  start: Date;
  end: Date;
}

/** A hunt the user asked for, fully resolved against the catalog. */
export interface HuntRunRequest {
  family: string;
  tool: CatalogTool;
  kind: string;
  hunts: HuntDefinition[];
  window: HuntWindow;
  /** Set when the requested window was longer than the hunt allows. */
  cappedFrom?: string;
  scope?: HuntScope;
  /** Validated values of the hunts' typed arguments (lookups): the entity asked about. */
  arguments?: Readonly<Record<string, HuntArgumentValue>>;
  /** Set when it was the backend's limit (not the hunt's) that capped the window: why, for the card. */
  cappedBecause?: string;
  /** A device lookup's "RMM tools seen" section: these hunts also run, each scoped to the device. */
  deviceTools?: DeviceToolsRequest;
}

/** Every hunt of one family (the RMM catalog), run scoped to one device as `hunt <family> <tool> <kind> on <device>` runs. */
export interface DeviceToolsRequest {
  family: string;
  /** The device as validated by the lookup's `device` argument. */
  device: string;
  hunts: HuntDefinition[];
}

/** The longest window a backend can look back over, and why (Defender XDR keeps 30 days). */
export interface WindowLimit {
  maxMs: number;
  /** A sentence for the card, e.g. "Defender XDR advanced hunting keeps 30 days of data." */
  reason: string;
}

/** The parts of a `hunt` command still missing; the bot asks for them in a short dialog. */
export interface HuntPromptState {
  family?: string;
  tool?: string;
  kind?: string;
  /** A lookup's entity (`lookup hash <value>`), as typed. */
  value?: string;
  window?: string;
}
