import type { CatalogTool, HuntDefinition } from './hunt-definition';

/** A hunt window as the user wrote it and in milliseconds. */
export interface HuntWindow {
  text: string;
  ms: number;
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
  /** Set when it was the backend's limit (not the hunt's) that capped the window: why, for the card. */
  cappedBecause?: string;
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
  window?: string;
}
