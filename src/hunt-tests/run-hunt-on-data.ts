import { KqlEngine, type KqlDatabase, type QueryLimits } from '../kql';
import type { QueryResult } from '../kql/types';
import { type ExclusionFilterOptions, renderHuntQuery } from '../hunts/render';
import { toDeviceHits } from '../runs/device-hits';
import { toEntityHits, toRowHits } from '../runs/entity-hits';
import type { HuntArgumentValue, HuntDefinition } from '../domain/hunt-definition';
import type { QueryWindow } from '../domain/hunt-request';
import type { DeviceHit } from '../domain/hunt-run';

/**
 * Detection as code: one hunt rendered as the bot renders it (typed literals only, render.ts) and run
 * on the embedded engine over given data, its rows grouped the way the bot groups them. The built-in
 * catalog's tests and `huntbot test` both prove hunts through this one function.
 */

export interface HuntOnDataOptions {
  window: QueryWindow;
  /** What now() and ago() mean in the query (default: the window's end, so fixtures stay in reach). */
  now?: Date;
  /** Values for the hunt's declared parameters, rendered as typed literals. */
  values?: Readonly<Record<string, unknown>>;
  /** Validated values of the hunt's typed arguments (lookups). */
  arguments?: Readonly<Record<string, HuntArgumentValue>>;
  /** Append the bot's benign-tag filter (its watchlist's rows come from `watchlists`). */
  exclusions?: ExclusionFilterOptions;
  /** Rows `_GetWatchlist(alias)` returns, per alias. */
  watchlists?: Record<string, Array<Record<string, unknown>>>;
  limits?: QueryLimits;
}

export interface HuntOnDataResult {
  kql: string;
  result: QueryResult;
  /** One per device (bot format), per mapped entity (Azure-Sentinel format with entityMappings), else per row. */
  hits: DeviceHit[];
}

/** @throws what renderHuntQuery and the engine throw (a bad parameter value, KqlQueryError, KqlLimitError, …). */
export function runHuntOnData(hunt: HuntDefinition, db: KqlDatabase, options: HuntOnDataOptions): HuntOnDataResult {
  const kql = renderHuntQuery(hunt, { window: options.window, values: options.values, arguments: options.arguments, exclusions: options.exclusions });
  const result = new KqlEngine(db).query(kql, { now: options.now ?? options.window.end, watchlists: options.watchlists, limits: options.limits });
  return { kql, result, hits: huntHits(hunt, result) };
}

/** The result's rows as the bot shows them: per device, per mapped entity, or per row. */
export function huntHits(hunt: HuntDefinition, result: QueryResult): DeviceHit[] {
  if (hunt.format !== 'sentinel') return toDeviceHits(result, hunt.entityKey, hunt.entityLabel);
  return hunt.entityMappings ? toEntityHits(result, hunt.entityMappings) : toRowHits(result);
}
