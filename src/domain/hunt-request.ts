import type { CatalogTool, HuntArgumentValue, HuntDefinition } from './hunt-definition';

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
  /** Validated values of the hunts' typed arguments (lookups): the entity asked about. */
  arguments?: Readonly<Record<string, HuntArgumentValue>>;
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
