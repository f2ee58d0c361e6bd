import type { QueryWindow } from '../domain/hunt-request';
import { kqlBool, kqlDatetime, kqlLong, kqlString, kqlTimespan } from './kql-literals';
import { substitutePlaceholders } from './placeholders';
import { checkDevice } from './device-scope';
import type { HuntArgumentValue, HuntDefinition, HuntParameter, QueryWindowSlot } from '../domain/hunt-definition';
import { argumentLiterals } from './argument-types';

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
  /** Keep only the rows of this device (DeviceName, its short name, or DeviceId; case-insensitive). */
  scope?: { device: string };
  exclusions?: ExclusionFilterOptions;
  /** Values for the hunt's other declared parameters; each is rendered as a literal of its declared type. */
  values?: Readonly<Record<string, unknown>>;
  /** Values of the hunt's typed arguments, validated by checkArgument (argument-types.ts). */
  arguments?: Readonly<Record<string, HuntArgumentValue>>;
}

/**
 * The hunt's KQL for one run. Placeholders are replaced only with typed literals built here; a value
 * for an undeclared parameter, a value of the wrong type, or a window the hunt does not allow is an
 * error, never text in the query.
 */
export function renderHuntQuery(hunt: HuntDefinition, options: RenderOptions): string {
  // An unmodified Azure-Sentinel query runs as written but for its own window; the bot hides tagged
  // entities by its own view of the tags, so no filter is appended to a query it did not write.
  if (hunt.format === 'sentinel') return sentinelQuery(hunt, options.window);
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
  Object.assign(literals, argumentsLiterals(hunt, options.arguments ?? {}));
  const query = substitutePlaceholders(hunt.query, literals).trimEnd();
  const lines = [query];
  if (options.scope) lines.push(deviceFilter(hunt, options.scope.device));
  if (options.exclusions) lines.push(exclusionFilter(hunt, options.exclusions));
  return lines.join('\n');
}

/**
 * The query with each span of its own window (found in its syntax tree at load, see sentinel-hunt.ts)
 * replaced by a typed literal of the requested window: `ago(14d)` → `ago(5d)`, `'{{StartTimeISO}}'` → the start.
 */
function sentinelQuery(hunt: HuntDefinition, window: QueryWindow): string {
  windowLiterals(hunt, window); // the same checks as any hunt's window: valid dates, in order, within the maximum
  const replacements: Record<QueryWindowSlot['role'], string> = {
    lookback: kqlTimespan(window.end.getTime() - window.start.getTime()),
    start: kqlString(window.start.toISOString()),
    end: kqlString(window.end.toISOString()),
  };
  let query = hunt.query;
  for (const slot of [...(hunt.windowSlots ?? [])].sort((a, b) => b.start - a.start)) {
    query = `${query.slice(0, slot.start)}${replacements[slot.role]}${query.slice(slot.end)}`;
  }
  return query.trimEnd();
}

/** Every declared argument needs a value of its type; a value for an undeclared one is an error. */
function argumentsLiterals(hunt: HuntDefinition, values: Readonly<Record<string, HuntArgumentValue>>): Record<string, string> {
  const declared = hunt.arguments ?? [];
  const literals: Record<string, string> = {};
  for (const argument of declared) {
    const value = Object.prototype.hasOwnProperty.call(values, argument.name) ? values[argument.name] : undefined;
    if (!value) throw new Error(`hunt ${hunt.id}: argument ${argument.name} has no value`);
    if (value.type !== argument.type) throw new TypeError(`hunt ${hunt.id}: argument ${argument.name} expects a ${argument.type}`);
    Object.assign(literals, argumentLiterals(argument.name, value));
  }
  for (const name of Object.keys(values)) {
    if (!declared.some((a) => a.name === name)) throw new Error(`hunt ${hunt.id} has no argument named ${JSON.stringify(name)}`);
  }
  return literals;
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
 * Keeps the entity the hunt was scoped to. Applied to the hunt's result, where every hunt has its entity
 * key (DeviceId) and label (DeviceName) columns; a name without a dot also matches the FQDN it starts
 * (`ws-0042` is `ws-0042.contoso.local`). The value is only ever a kqlString literal.
 */
function deviceFilter(hunt: HuntDefinition, device: string): string {
  const checked = checkDevice(device);
  if (!checked.ok) throw new TypeError(`device scope: ${checked.message}`);
  const key = columnName(hunt, hunt.entityKey);
  const label = columnName(hunt, hunt.entityLabel);
  const value = kqlString(checked.device);
  const shortName = checked.device.includes('.') ? '' : ` or ${label} startswith ${kqlString(`${checked.device}.`)}`;
  return `| where ${label} =~ ${value}${shortName} or ${key} =~ ${value}`;
}

function columnName(hunt: HuntDefinition, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`hunt ${hunt.id}: ${name} is not a column name`);
  return name;
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
