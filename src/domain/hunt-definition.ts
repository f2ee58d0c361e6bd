import type { KustoType } from '../kql/types';

/** A typed hunt parameter (msticpy style). The time window is one. */
export interface HuntParameter {
  name: string;
  type: 'timespan' | 'datetime' | 'string' | 'long' | 'bool';
  description: string;
  default?: string | number | boolean;
}

/** Types of the arguments a responder supplies at run time; validated and rendered by src/hunts/argument-types.ts. */
export const HUNT_ARGUMENT_TYPES = ['device', 'sha256', 'sha1', 'md5', 'hash', 'domain', 'url', 'ip', 'account', 'string'] as const;
export type HuntArgumentType = (typeof HUNT_ARGUMENT_TYPES)[number];

/** An argument a hunt needs from whoever runs it (`lookup hash <value>`), filling `{{Name}}` (and its parts). */
export interface HuntArgument {
  name: string;
  type: HuntArgumentType;
  description: string;
}

/** A validated argument value: `value` is canonical (shown, part of tag keys); `parts` are e.g. an account's name and domain. */
export interface HuntArgumentValue {
  type: HuntArgumentType;
  value: string;
  parts: Readonly<Record<string, string>>;
}

export type SignalKind = 'filesig' | 'process' | 'network';

/**
 * One hunt, loaded from a YAML file in the Azure-Sentinel hunting-query format plus our fields.
 * The query text refers to the window through `{{TimeStart}}` / `{{TimeEnd}}` placeholders that are
 * replaced only by typed KQL literals (see kql-literals.ts), never by user text.
 */
export interface HuntDefinition {
  id: string;
  name: string;
  description: string;
  requiredDataConnectors: Array<{ connectorId: string; dataTypes: string[] }>;
  tactics: string[];
  relevantTechniques: string[];
  query: string;
  version?: string;
  /** Command words: `hunt <family> <tool> [<kind>]`. */
  family: string;
  tool: string;
  /** Display name of the tool, e.g. "DesktopNow". */
  toolName: string;
  kind: SignalKind | string;
  aliases: string[];
  parameters: HuntParameter[];
  /** Typed arguments supplied at run time (lookups); absent or empty for hunts that need only the window. */
  arguments?: HuntArgument[];
  /** Column the window applies to (Timestamp for Defender tables). */
  timeColumn: string;
  /** Result column identifying the entity a row is about, and its human label. */
  entityKey: string;
  entityLabel: string;
  /**
   * Hunts over many tools (`hunt rmm any`): the result column naming the tools that hit each entity, by
   * their toolName. Tags a responder gave for those tools' own hunts apply to the entity here too.
   */
  toolColumn?: string;
  /** Largest window a user may ask for, in milliseconds (30 days unless the hunt says otherwise). */
  maxWindowMs: number;
  defaultWindowMs: number;
  /** Upstream query id, kept for traceability. */
  upstreamId?: string;
  /** Benign scenarios a responder can tag a hit with. */
  benignScenarios: BenignScenario[];
  /** Where it came from: "builtin" or the file path of a HUNTS_DIR file. */
  source: string;
  /**
   * `sentinel`: an unmodified Azure-Sentinel hunting query. It has no placeholders; its own window is
   * rewritten where `windowSlots` say, its rows are grouped by `entityMappings`. Absent: the bot's format.
   */
  format?: 'sentinel';
  /** Which result columns name which entities (Sentinel's `entityMappings`); the first decides what a row is about. */
  entityMappings?: EntityMapping[];
  /** Where the query writes its own window (found in its syntax tree), rewritten to the requested window. */
  windowSlots?: QueryWindowSlot[];
  /** When the query's own window could not be recognised: the lookbacks it writes (`['14d', '1d']`), shown on the card. */
  ownWindows?: string[];
}

/** One `entityMappings` entry of a Sentinel hunting query. */
export interface EntityMapping {
  entityType: string;
  fieldMappings: Array<{ identifier: string; columnName: string }>;
}

/** A span of a query's text holding its own window: a lookback timespan, or the window's start or end as an ISO string. */
export interface QueryWindowSlot {
  start: number;
  end: number;
  role: 'lookback' | 'start' | 'end';
}

/** A HUNTS_DIR folder and the family its hunts get when their files do not name one (Azure-Sentinel files). */
export interface HuntFolderSetting {
  dir: string;
  family: string;
}

/** The family of Azure-Sentinel hunting files from a folder that names none. */
export const DEFAULT_HUNT_FAMILY = 'hunts';

/** The alias of the benign-tag watchlist when WATCHLIST_ALIAS is not set (`_GetWatchlist('HuntBotExclusions')`). */
export const DEFAULT_WATCHLIST_ALIAS = 'HuntBotExclusions';

export interface BenignScenario {
  id: string;
  title: string;
  description: string;
  /** `other` needs a justification. */
  requiresJustification: boolean;
  /** What a responder would see if the hit is this scenario (e.g. "parent is schtasks.exe"). Optional. */
  evidence?: string;
}

/** `<family>/<tool>`: the key tags are stored under. */
export function huntKeyOf(hunt: Pick<HuntDefinition, 'family' | 'tool'>): string {
  return `${hunt.family}/${hunt.tool}`;
}

export type ResultColumnTypes = Record<string, KustoType>;

/** A tool of the catalog as commands name it. */
export interface CatalogTool {
  family: string;
  tool: string;
  toolName: string;
  aliases: string[];
  kinds: string[];
  defaultKind?: string;
  noHuntReason?: string;
}
