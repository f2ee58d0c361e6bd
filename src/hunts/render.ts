import type { QueryWindow } from '../domain/hunt-request';
import { kqlBool, kqlDatetime, kqlLong, kqlString, kqlTimespan } from './kql-literals';
import { substitutePlaceholders } from './placeholders';
import type { HuntDefinition, HuntParameter } from '../domain/hunt-definition';

/** The window parameters every hunt declares; filled only from `RenderOptions.window`. */
export const WINDOW_PARAMETERS = ['TimeStart', 'TimeEnd'] as const;

export interface ExclusionFilterOptions {
  /** Alias of the Sentinel watchlist (or the embedded engine's stand-in) holding benign tags. */
  watchlistAlias: string;
  /** `<family>/<tool>`, see huntKeyOf. */
  huntKey: string;
  /** Tags that expired before this instant no longer hide a device. */
  now: Date;
  /**
   * `drop` (default) removes tagged entities; `mark` keeps them and adds a bool column
   * BENIGN_TAGGED_COLUMN, so the bot can count them and show them on request.
   */
  mode?: 'drop' | 'mark';
}

/** The column `mode: 'mark'` adds: true for entities tagged benign (and not expired) for the hunt. */
export const BENIGN_TAGGED_COLUMN = 'BenignTagged';

export interface RenderOptions {
  window: QueryWindow;
  exclusions?: ExclusionFilterOptions;
  /** Values for the hunt's other declared parameters; each is rendered as a literal of its declared type. */
  values?: Readonly<Record<string, unknown>>;
}

/**
 * The hunt's KQL for one run. Placeholders are replaced only with typed literals built here; a value
 * for an undeclared parameter, a value of the wrong type, or a window the hunt does not allow is an
 * error, never text in the query.
 */
export function renderHuntQuery(hunt: HuntDefinition, options: RenderOptions): string {
  const literals: Record<string, string> = { ...windowLiterals(hunt, options.window) };
  for (const parameter of hunt.parameters) {
    if ((WINDOW_PARAMETERS as readonly string[]).includes(parameter.name)) continue;
    const supplied = options.values && Object.prototype.hasOwnProperty.call(options.values, parameter.name);
    const value = supplied ? options.values?.[parameter.name] : parameter.default;
    if (value === undefined) throw new Error(`hunt ${hunt.id}: parameter ${parameter.name} has no value`);
    literals[parameter.name] = parameterLiteral(parameter, value);
  }
  for (const name of Object.keys(options.values ?? {})) {
    const declared = hunt.parameters.some((p) => p.name === name);
    if (!declared || (WINDOW_PARAMETERS as readonly string[]).includes(name)) {
      throw new Error(`hunt ${hunt.id} has no settable parameter named ${JSON.stringify(name)}`);
    }
  }
  const query = substitutePlaceholders(hunt.query, literals).trimEnd();
  return options.exclusions ? `${query}\n${exclusionFilter(hunt, options.exclusions)}` : query;
}

function windowLiterals(hunt: HuntDefinition, window: QueryWindow): Record<string, string> {
  const { start, end } = window;
  if (!(start instanceof Date) || !(end instanceof Date) || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new TypeError('the hunt window needs valid start and end dates');
  }
  const span = end.getTime() - start.getTime();
  if (span <= 0) throw new RangeError('the hunt window must end after it starts');
  if (span > hunt.maxWindowMs) {
    throw new RangeError(`hunt ${hunt.tool} allows a window of at most ${hunt.maxWindowMs / 86_400_000} days`);
  }
  return { TimeStart: kqlDatetime(start), TimeEnd: kqlDatetime(end) };
}

function parameterLiteral(parameter: HuntParameter, value: unknown): string {
  const wrongType = () => new TypeError(`parameter ${parameter.name} expects a ${parameter.type}`);
  switch (parameter.type) {
    case 'string':
      if (typeof value !== 'string') throw wrongType();
      return kqlString(value);
    case 'long':
      if (typeof value !== 'number' && typeof value !== 'bigint') throw wrongType();
      return kqlLong(value);
    case 'bool':
      if (typeof value !== 'boolean') throw wrongType();
      return kqlBool(value);
    case 'timespan':
      if (typeof value !== 'number') throw wrongType();
      return kqlTimespan(value);
    case 'datetime': {
      const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw wrongType();
      return kqlDatetime(date);
    }
    default:
      throw wrongType();
  }
}

/**
 * Drops entities tagged benign for this hunt whose tag has not expired. Appended after the hunt's
 * summarize, where every hunt has its entity key column. A tag's SearchKey names its scope (see
 * scopedSearchKey in the exclusion store): `<huntKey>|<entity key>` this tool on this device (the only
 * form before scopes, so older tags keep working), `<family>/*|<entity key>` every tool of the family on
 * this device, `<huntKey>|*` this tool everywhere. An entity is tagged when any of the three is.
 */
function exclusionFilter(hunt: HuntDefinition, exclusions: ExclusionFilterOptions): string {
  const key = hunt.entityKey;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`hunt ${hunt.id}: entity key ${key} is not a column name`);
  const family = exclusions.huntKey.split('/')[0] ?? exclusions.huntKey;
  const activeTags =
    `((_GetWatchlist(${kqlString(exclusions.watchlistAlias)})` +
    ` | where isempty(ExpiresAtUtc) or todatetime(ExpiresAtUtc) > ${kqlDatetime(exclusions.now)}` +
    ' | project SearchKey))';
  const tagged = [
    `strcat(${kqlString(exclusions.huntKey)}, '|', ${key}) in ${activeTags}`,
    `strcat(${kqlString(`${family}/*`)}, '|', ${key}) in ${activeTags}`,
    `${kqlString(`${exclusions.huntKey}|*`)} in ${activeTags}`,
  ].join(' or ');
  return exclusions.mode === 'mark' ? `| extend ${BENIGN_TAGGED_COLUMN} = ${tagged}` : `| where not(${tagged})`;
}
