import { randomUUID } from 'node:crypto';
import { QueryFailure } from '../domain/query-failure';
import { type QueryBackend } from '../backends/query-backend';
import type { DeviceToolsRequest, HuntRunRequest } from '../domain/hunt-request';
import type { Requester } from '../domain/requester';
import { mergeByEntity } from '../hunts/merge';
import { BENIGN_TAGGED_COLUMN, renderHuntQuery } from '../hunts/render';
import { canonicalHuntQuery } from '../hunts/canonical-query';
import { huntKeyOf, type HuntDefinition } from '../domain/hunt-definition';
import type { KqlDiagnostic, QueryResult } from '../kql/types';
import type { Exclusion } from '../stores/exclusion-store';
import { splitBenign } from './benign-tags';
import { toDeviceHits } from './device-hits';
import { toEntityHits, toRowHits } from './entity-hits';
import { describeFailure } from './failure-advice';
import type { DeviceHit, DeviceToolsSection, DoneHuntRun, FailedHuntRun, HuntRun, PortalContext, RunEntity, RunningHuntRun, RunQuery, RunReuse } from '../domain/hunt-run';
import { lookupPivots } from '../hunts/lookup-pivots';
import { userErrorText } from '../text/user-error';
import { countOf } from '../text/count-text';
import { queryDeviceTools, shapeDeviceTools, type DeviceToolsOutcome } from './device-tools';

export interface HuntRunnerDeps {
  backend: QueryBackend;
  /**
   * The official parser's check, run on every rendered query before it is sent anywhere: in this thread,
   * or asked of the engine's parser process (rejects with why when it cannot answer; the hunt is not sent).
   */
  checkQuery(kql: string): KqlDiagnostic[] | Promise<KqlDiagnostic[]>;
  /**
   * Fresh benign tags for a hunt key, or every hunt's without one (the bot's own view: Sentinel takes minutes
   * to make new items queryable).
   */
  activeTags?: (huntKey?: string) => Promise<Exclusion[]>;
  /** The hunt key of a tool named by its display name, for all-tools hunts (HuntCatalog.huntKeyOfTool). */
  huntKeyOfTool?: (family: string, toolName: string) => string | undefined;
  /** The exclusion watchlist the hunt's KQL consults (omit when the workspace has no such watchlist). */
  watchlistAlias?: string;
  /** Cloud and workspace for portal links; the tenant comes from the requester. */
  portal?: Omit<PortalContext, 'tenantId'>;
  /** A device lookup's "RMM tools seen" deadline (HUNT_LOOKUP_DEADLINE_SECONDS; none when unset). */
  lookupDeadlineSeconds?: number;
  now?: () => Date;
  newId?: () => string;
}

/** Runs a resolved hunt request against the backend and shapes the result; never throws. */
export class HuntRunner {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly verdicts = new Map<string, KqlDiagnostic[]>();

  constructor(private readonly deps: HuntRunnerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => randomUUID());
  }

  /** The run as it looks when it starts: what the "running" card shows. */
  start(request: HuntRunRequest, requester: Requester, correlationId = this.newId()): RunningHuntRun {
    // The window ends at the next whole minute, so identical hunts asked within a minute render the
    // same KQL and can share one backend run (see RunService).
    const now = this.now();
    const range = request.window.range;
    const end = range ? range.end : new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
    const start = range ? range.start : new Date(end.getTime() - request.window.ms);
    return {
      runId: this.newId(),
      correlationId,
      huntKey: runHuntKey(request),
      title: runTitle(request),
      kind: request.kind,
      windowText: request.window.text,
      cappedFrom: request.cappedFrom,
      ...(request.cappedBecause ? { cappedBecause: request.cappedBecause } : {}),
      windowStart: start.toISOString(),
      windowEnd: end.toISOString(),
      ...(range ? { absoluteWindow: { form: range.form, endsNow: range.endsNow, senderZone: range.senderZone, notes: range.notes } } : {}),
      ...(request.scope ? { scope: { device: request.scope.device } } : {}),
      backend: this.deps.backend.name,
      backendDescription: this.deps.backend.description,
      requestedBy: { id: requester.id, name: requester.name, aadObjectId: requester.aadObjectId },
      conversation: { id: requester.conversationId, tenantId: requester.tenantId },
      startedAt: now.toISOString(),
      status: 'running',
      queries: [],
      hits: [],
      hidden: [],
      totalEvents: 0,
      scenarios: request.hunts[0]?.benignScenarios ?? [],
      portal: this.deps.portal ? { ...this.deps.portal, tenantId: requester.tenantId } : undefined,
      ...sentinelRowsAbout(request.hunts[0]),
      ...entityOf(request),
    };
  }

  /** Executes every hunt of the request (one, or each kind for `all`) and completes the run. */
  async complete(run: RunningHuntRun, request: HuntRunRequest, signal?: AbortSignal): Promise<DoneHuntRun | FailedHuntRun> {
    try {
      return await this.finish(run, request, await this.query(run, request, signal));
    } catch (error) {
      return this.fail(run, error);
    }
  }

  /**
   * The backend part of a run: render, check and send each hunt's query. The outcome is plain data,
   * the same for every responder asking the same hunt in the same minute, so it can be shared.
   */
  async query(run: HuntRun, request: HuntRunRequest, signal?: AbortSignal): Promise<HuntQueryOutcome> {
    const window = { start: new Date(run.windowStart), end: new Date(run.windowEnd) };
    const queries: RunQuery[] = [];
    const parts: HuntQueryOutcome['parts'] = [];
    const tagged = new Set<string>();
    const alias = this.deps.watchlistAlias;
    for (const hunt of request.hunts) {
      const exclusions = alias ? { watchlistAlias: alias, huntKey: run.huntKey, now: window.end, mode: 'mark' as const } : undefined;
      const kql = renderHuntQuery(hunt, { window, exclusions, scope: request.scope, arguments: request.arguments });
      const errors = (await this.checked(hunt, exclusions !== undefined, request.scope !== undefined)).filter((d) => d.severity === 'Error');
      if (errors.length > 0) {
        throw new QueryFailure('invalid-query', `The hunt "${hunt.name}" has ${countOf(errors.length, 'KQL error')}.`, { diagnostics: errors });
      }
      const outcome = await this.deps.backend.run({ kql, window, signal, correlationId: run.correlationId });
      queries.push({
        huntId: hunt.id,
        kind: hunt.kind,
        kql,
        durationMs: outcome.durationMs,
        rowCount: outcome.result.rows.length,
        partialError: outcome.partialError,
        ...(outcome.dataWarnings?.length ? { dataWarnings: outcome.dataWarnings } : {}),
        ...(outcome.notes?.length ? { notes: outcome.notes } : {}),
      });
      parts.push({ huntId: hunt.id, result: withoutTagMarks(outcome.result, hunt.entityKey, tagged) });
    }
    const deviceTools = request.deviceTools
      ? await queryDeviceTools(request.deviceTools, {
          backend: this.deps.backend,
          window,
          verdict: (hunt) => this.analyse(hunt, false, true),
          correlationId: run.correlationId,
          signal,
          batched: this.deps.backend.meteredCalls === true,
          deadlineSeconds: this.deps.lookupDeadlineSeconds,
        })
      : undefined;
    return { windowStart: run.windowStart, windowEnd: run.windowEnd, queries, parts, taggedInWatchlist: [...tagged], ...(deviceTools ? { deviceTools } : {}) };
  }

  /** Shapes a (possibly shared) query outcome into this run's result, with this moment's benign tags. */
  async finish(
    run: RunningHuntRun,
    request: HuntRunRequest,
    outcome: HuntQueryOutcome,
    reuse?: RunReuse,
    onPhase?: (phase: 'shape' | 'tags', ms: number) => void,
  ): Promise<DoneHuntRun> {
    const shapeStarted = performance.now();
    const first = request.hunts[0];
    const parts = outcome.parts.map((part) => ({ hunt: request.hunts.find((h) => h.id === part.huntId) ?? first, result: part.result }));
    const merged = parts.length === 1 ? parts[0].result : mergeByEntity(parts);
    if (first.format === 'sentinel') return this.finishSentinel(run, first, merged, outcome, reuse);
    const all = toDeviceHits(merged, first.entityKey, first.entityLabel).sort(byCountThenName);
    // The bot's own view of the tags is fresh (Sentinel needs minutes to make watchlist changes
    // queryable); the watchlist as the query saw it is the fallback when the tags cannot be read.
    const taggedInWatchlist = new Set(outcome.taggedInWatchlist);
    const tagsStarted = performance.now();
    onPhase?.('shape', tagsStarted - shapeStarted);
    let warning: string | undefined;
    let split = { shown: all.filter((hit) => !taggedInWatchlist.has(hit.deviceId)), hidden: all.filter((hit) => taggedInWatchlist.has(hit.deviceId)) };
    if (this.deps.activeTags) {
      try {
        // An all-tools hunt also honours each named tool's own tags, so it reads every hunt's tags at once.
        const toolColumn = this.deps.huntKeyOfTool ? first.toolColumn : undefined;
        const tags = await this.deps.activeTags(toolColumn ? undefined : run.huntKey);
        const huntKeyOfTool = this.deps.huntKeyOfTool;
        split = splitBenign(all, {
          huntKey: run.huntKey,
          scenarios: run.scenarios,
          tags,
          toolColumn,
          huntKeyOfTool: huntKeyOfTool && ((name) => huntKeyOfTool(request.family, name)),
        });
      } catch (error) {
        warning = `Could not read the benign tags (${userErrorText(error)}); devices were hidden as the watchlist stood when the query ran.`;
      }
    }
    const { shown: hits, hidden } = split;
    onPhase?.('tags', performance.now() - tagsStarted);
    const withPivots = run.entity ? { ...run, pivots: lookupPivots([...hits, ...hidden], run.entity) } : run;
    const withTools = request.deviceTools && outcome.deviceTools ? { ...withPivots, deviceTools: await this.deviceToolsSection(request.deviceTools, outcome.deviceTools) } : withPivots;
    return doneRun(withTools, outcome, { hits, hidden, warnings: warning ? [warning] : [] }, this.now(), reuse);
  }

  /** A device lookup's "RMM tools seen", hiding tools tagged benign on the device as `hunt rmm any` does (the bot's fresh view of the tags). */
  private async deviceToolsSection(tools: DeviceToolsRequest, outcome: DeviceToolsOutcome): Promise<DeviceToolsSection> {
    let tags: Exclusion[] | { unreadable: string } = [];
    if (this.deps.activeTags) {
      try {
        tags = await this.deps.activeTags();
      } catch (error) {
        tags = { unreadable: userErrorText(error) };
      }
    }
    const huntKeyOfTool = this.deps.huntKeyOfTool;
    return shapeDeviceTools(tools, outcome, {
      tags,
      scenarios: tools.hunts[0]?.benignScenarios ?? [],
      huntKeyOfTool: huntKeyOfTool && ((name) => huntKeyOfTool(tools.family, name)),
      kindLabel,
    });
  }

  /**
   * An Azure-Sentinel hunting query's result: rows grouped by its mapped entity and hidden by the bot's
   * own view of the tags (its query carries no tag filter), or, without entity mappings, its rows as a table.
   */
  private async finishSentinel(run: RunningHuntRun, hunt: HuntDefinition, merged: QueryResult, outcome: HuntQueryOutcome, reuse?: RunReuse): Promise<DoneHuntRun> {
    const warnings: string[] = [];
    if (hunt.ownWindows) warnings.push(ownWindowNote(hunt.ownWindows, run.windowText));
    let hits: DeviceHit[];
    let hidden: DeviceHit[] = [];
    if (!hunt.entityMappings) {
      hits = toRowHits(merged);
    } else {
      const all = toEntityHits(merged, hunt.entityMappings).sort(byCountThenName);
      hits = all;
      if (this.deps.activeTags) {
        try {
          ({ shown: hits, hidden } = splitBenign(all, { huntKey: run.huntKey, scenarios: run.scenarios, tags: await this.deps.activeTags(run.huntKey) }));
        } catch (error) {
          warnings.push(`Could not read the benign tags (${userErrorText(error)}); nothing was hidden as benign.`);
        }
      }
    }
    return doneRun(run, outcome, { hits, hidden, warnings }, this.now(), reuse);
  }

  /** The parser's verdict on a hunt's query shape, asked once per hunt and shape (canonical-query.ts says why that is enough). */
  private async analyse(hunt: HuntDefinition, withTags: boolean, scoped: boolean): Promise<KqlDiagnostic[]> {
    const key = `${hunt.id}|${withTags}|${scoped}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      // A verdict the parser could not give is not kept: the next run asks again.
      verdict = await this.deps.checkQuery(canonicalHuntQuery(hunt, { withTags, scoped, watchlistAlias: this.deps.watchlistAlias }));
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** analyse(), and a hunt whose query could not be checked fails with why, never sent unchecked. */
  private async checked(hunt: HuntDefinition, withTags: boolean, scoped: boolean): Promise<KqlDiagnostic[]> {
    try {
      return await this.analyse(hunt, withTags, scoped);
    } catch (error) {
      throw new QueryFailure('internal', `The hunt "${hunt.name}" could not be checked before it was sent: ${userErrorText(error)}`);
    }
  }

  fail(run: RunningHuntRun, error: unknown): FailedHuntRun {
    return { ...run, status: 'failed', finishedAt: this.now().toISOString(), failure: describeFailure(error) };
  }
}

/** What the backend returned for a run: JSON-safe, shareable between identical runs. */
export interface HuntQueryOutcome {
  windowStart: string;
  windowEnd: string;
  queries: RunQuery[];
  parts: Array<{ huntId: string; result: QueryResult }>;
  taggedInWatchlist: string[];
  /** A device lookup's scoped RMM hunts. */
  deviceTools?: DeviceToolsOutcome;
}

/** Collects the entities the query marked as tagged, and drops the mark column before results are merged. */
/** A finished run, whichever hunt format it came from: its hits, the hits hidden as benign, and what the user should know. */
function doneRun(
  run: RunningHuntRun,
  outcome: HuntQueryOutcome,
  found: { hits: DeviceHit[]; hidden: DeviceHit[]; warnings: string[] },
  finishedAt: Date,
  reuse: RunReuse | undefined,
): DoneHuntRun {
  return {
    ...run,
    windowStart: outcome.windowStart,
    windowEnd: outcome.windowEnd,
    status: 'done',
    finishedAt: finishedAt.toISOString(),
    queries: outcome.queries,
    hits: found.hits,
    hidden: found.hidden,
    totalEvents: found.hits.reduce((sum, h) => sum + h.count, 0),
    warnings: found.warnings.length > 0 ? found.warnings : undefined,
    reuse,
  };
}

/** Most events first; ties by device name, so the order is the same on every run. */
function byCountThenName(a: DeviceHit, b: DeviceHit): number {
  return b.count - a.count || a.deviceName.localeCompare(b.deviceName);
}

function withoutTagMarks(result: QueryResult, entityKey: string, tagged: Set<string>): QueryResult {
  const mark = result.columns.findIndex((c) => c.name === BENIGN_TAGGED_COLUMN);
  if (mark < 0) return result;
  const key = result.columns.findIndex((c) => c.name === entityKey);
  for (const row of result.rows) if (row[mark] === true && key >= 0) tagged.add(String(row[key]));
  return {
    columns: result.columns.filter((_, i) => i !== mark),
    rows: result.rows.map((row) => row.filter((_, i) => i !== mark)),
  };
}

/** What an Azure-Sentinel hunt's rows are about, for the card: its first mapped entity, or why its rows cannot be tagged. */
function sentinelRowsAbout(hunt: HuntDefinition | undefined): Pick<RunningHuntRun, 'entityType' | 'untaggable'> {
  if (hunt?.format !== 'sentinel') return {};
  if (hunt.entityMappings) return { entityType: hunt.entityMappings[0].entityType };
  return { untaggable: 'This query has no entityMappings, so its rows name no entity to tag; they are shown as a table of their first columns.' };
}

/** The card's note for a query whose own window the bot could not rewrite. */
function ownWindowNote(lookbacks: readonly string[], requested: string): string {
  const own = lookbacks.length > 0 ? `applies its own time window (${lookbacks.join(', ')})` : 'writes no time window the bot recognises';
  return `This query ${own}, so it ran as written; the requested ${requested} was passed to the backend as the query's time range.`;
}

/**
 * What tags of this run are keyed by: `<family>/<tool>`, and for a lookup also the entity asked about
 * (`lookup/hash:<sha256>`), so tagging a device on one lookup never hides it from a lookup of another entity.
 * Validated values hold no `|` (the watchlist's key separator) except free strings, whose `|` is escaped.
 */
export function runHuntKey(request: Pick<HuntRunRequest, 'family' | 'tool' | 'arguments'>): string {
  const key = huntKeyOf({ family: request.family, tool: request.tool.tool });
  const values = Object.values(request.arguments ?? {}).map((a) => a.value.replace(/%/g, '%25').replace(/\|/g, '%7C'));
  return values.length > 0 ? `${key}:${values.join(',')}` : key;
}

/** A lookup's subject, for the card's top line. */
function entityOf(request: HuntRunRequest): { entity?: RunEntity } {
  const argument = Object.values(request.arguments ?? {})[0];
  return argument ? { entity: { lookup: request.tool.tool, type: argument.type, value: argument.value } } : {};
}

function runTitle(request: HuntRunRequest): string {
  if (request.hunts[0]?.format === 'sentinel') return request.tool.toolName;
  const entity = Object.values(request.arguments ?? {})[0];
  if (entity) return `${request.tool.toolName} ${entity.value}`;
  const kind = request.kind === 'all' ? 'all signals' : kindLabel(request.kind);
  return `${request.tool.toolName} · ${kind}`;
}

export function kindLabel(kind: string): string {
  switch (kind) {
    case 'filesig':
      return 'file signature';
    case 'process':
      return 'process';
    case 'network':
      return 'network connection';
    default:
      return kind;
  }
}
