import type { QueryBackend } from '../backends/query-backend';
import type { DeviceToolsRequest, QueryWindow } from '../domain/hunt-request';
import { huntKeyOf, type BenignScenario, type HuntDefinition } from '../domain/hunt-definition';
import type { DeviceToolSeen, DeviceToolsSection } from '../domain/hunt-run';
import type { KqlDiagnostic, QueryResult } from '../kql/types';
import { renderHuntQuery } from '../hunts/render';
import { BATCH_COLUMNS, renderScopedBatch } from '../hunts/scoped-batch';
import { tagFor, type Exclusion } from '../stores/exclusion-store';
import { countOf } from '../text/count-text';
import { describeFailure } from './failure-advice';
import { toDeviceHits } from './device-hits';
import { tagOf } from './hit-tags';
import { LookupDeadline } from './lookup-deadline';
import { errorMessage } from '../util/error-message';

/**
 * A device lookup's "RMM tools seen" section: every hunt of the family, each rendered exactly as
 * `hunt <family> <tool> <kind> on <device>` renders it (render.ts: the device only ever as a kqlString
 * literal, appended after the hunt's summarize), parser-checked like any hunt, and sent as its own query
 * so each keeps the backend's per-query time and memory budget. A hunt that fails, or whose table holds
 * no data, is reported as a signal that could not be looked at, never as "not seen".
 */

/** One device row a scoped hunt returned (JSON-safe: outcomes are shared between identical runs). */
export interface DeviceToolRow {
  deviceId: string;
  deviceName: string;
  firstSeen: string | null;
  lastSeen: string | null;
  count: number;
  /** All-tools hunts: the tools the row names. */
  tools?: string[];
}

/** A hunt's rows, why it could not look, or that it was not started because the lookup's deadline had passed. */
export type DeviceToolsPart = { huntId: string; rows: DeviceToolRow[] } | { huntId: string; blind: string } | { huntId: string; notStarted: true };

export interface DeviceToolsOutcome {
  parts: DeviceToolsPart[];
  durationMs: number;
  /** Set when the deadline (seconds) passed before every hunt was started. */
  deadlineSeconds?: number;
}

export interface DeviceToolsQueryContext {
  backend: QueryBackend;
  window: QueryWindow;
  /** The parser's verdict on the hunt rendered with a device scope (cached per hunt by the runner). */
  verdict(hunt: HuntDefinition): KqlDiagnostic[] | Promise<KqlDiagnostic[]>;
  correlationId: string;
  signal?: AbortSignal;
  /**
   * For a metered backend (QueryBackend.meteredCalls): the hunts go as a few combined queries
   * (scoped-batch.ts), each leg exactly the hunt's checked `on <device>` query; otherwise one query per hunt.
   */
  batched?: boolean;
  /** The section's overall deadline (HUNT_LOOKUP_DEADLINE_SECONDS; none when unset): no hunt starts after it. */
  deadlineSeconds?: number;
  /** The deadline's clock in milliseconds (default performance.now; tests pass their own). */
  clock?: () => number;
}

/** Runs every hunt of the request scoped to the device; never throws but for a cancel. */
export async function queryDeviceTools(request: DeviceToolsRequest, context: DeviceToolsQueryContext): Promise<DeviceToolsOutcome> {
  return context.batched ? queryInBatches(request, context) : queryOneByOne(request, context);
}

async function queryOneByOne(request: DeviceToolsRequest, context: DeviceToolsQueryContext): Promise<DeviceToolsOutcome> {
  const parts: DeviceToolsPart[] = [];
  let durationMs = 0;
  const deadline = new LookupDeadline(context.deadlineSeconds, context.clock);
  for (const [index, hunt] of request.hunts.entries()) {
    if (context.signal?.aborted) throw context.signal.reason ?? new Error('cancelled');
    if (deadline.passed()) return stoppedAt(deadline, parts, request.hunts.slice(index), durationMs);
    await nextTurn();
    const problem = await verdictProblem(hunt, context);
    if (problem) {
      parts.push({ huntId: hunt.id, blind: problem });
      continue;
    }
    try {
      const kql = renderHuntQuery(hunt, { window: context.window, scope: { device: request.device } });
      const outcome = await context.backend.run({ kql, window: context.window, signal: context.signal, correlationId: context.correlationId });
      durationMs += outcome.durationMs;
      const noData = (outcome.dataWarnings ?? []).find((w) => w.kind === 'no-data');
      if (noData) {
        parts.push({ huntId: hunt.id, blind: noData.message });
        continue;
      }
      parts.push({ huntId: hunt.id, rows: toolRows(outcome.result, hunt.entityKey, hunt.entityLabel, hunt.toolColumn) });
    } catch (error) {
      if (context.signal?.aborted) throw error;
      const failure = describeFailure(error);
      parts.push({ huntId: hunt.id, blind: failure.message });
    }
  }
  return { parts, durationMs };
}

/**
 * One query per signal kind and set of tables (a hunt that also reads another table goes on its own, so
 * a table the workspace lacks blinds only the hunts that read it): a handful of API calls instead of ~200.
 */
async function queryInBatches(request: DeviceToolsRequest, context: DeviceToolsQueryContext): Promise<DeviceToolsOutcome> {
  const parts: DeviceToolsPart[] = [];
  let durationMs = 0;
  const groups = new Map<string, HuntDefinition[]>();
  for (const hunt of request.hunts) {
    const key = `${hunt.kind}|${[...new Set(hunt.requiredDataConnectors.flatMap((c) => c.dataTypes))].sort().join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), hunt]);
  }
  const deadline = new LookupDeadline(context.deadlineSeconds, context.clock);
  const remaining = [...groups.values()];
  for (const [index, group] of remaining.entries()) {
    if (context.signal?.aborted) throw context.signal.reason ?? new Error('cancelled');
    if (deadline.passed()) return stoppedAt(deadline, parts, remaining.slice(index).flat(), durationMs);
    const sendable: HuntDefinition[] = [];
    for (const hunt of group) {
      const problem = await unsendable(hunt, request, context);
      if (problem) parts.push({ huntId: hunt.id, blind: problem });
      else sendable.push(hunt);
      await nextTurn();
    }
    if (sendable.length === 0) continue;
    const blindAll = (reason: string) => parts.push(...sendable.map((hunt) => ({ huntId: hunt.id, blind: reason })));
    try {
      const kql = renderScopedBatch(sendable, { window: context.window, device: request.device });
      const outcome = await context.backend.run({ kql, window: context.window, signal: context.signal, correlationId: context.correlationId });
      durationMs += outcome.durationMs;
      const noData = (outcome.dataWarnings ?? []).find((w) => w.kind === 'no-data');
      if (noData) {
        blindAll(noData.message);
        continue;
      }
      const hunt = outcome.result.columns.findIndex((c) => c.name === BATCH_COLUMNS.hunt);
      sendable.forEach((leg, index) => {
        const rows = { columns: outcome.result.columns, rows: outcome.result.rows.filter((row) => Number(row[hunt]) === index) };
        parts.push({ huntId: leg.id, rows: toolRows(rows, BATCH_COLUMNS.key, BATCH_COLUMNS.label, leg.toolColumn ? BATCH_COLUMNS.tools : undefined) });
      });
    } catch (error) {
      if (context.signal?.aborted) throw error;
      blindAll(describeFailure(error).message);
    }
  }
  return { parts, durationMs };
}

/** The outcome of a lookup whose deadline passed: what was found so far, and the hunts never started. */
function stoppedAt(deadline: LookupDeadline, parts: DeviceToolsPart[], notStarted: readonly HuntDefinition[], durationMs: number): DeviceToolsOutcome {
  return { parts: [...parts, ...notStarted.map((hunt) => ({ huntId: hunt.id, notStarted: true as const }))], durationMs, deadlineSeconds: deadline.seconds };
}

/** Lets other turns run between parser checks (~20 ms each, once per hunt and process). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Why the parser's verdict keeps a hunt from being sent: KQL errors, or no verdict at all (the parser could not answer). */
async function verdictProblem(hunt: HuntDefinition, context: DeviceToolsQueryContext): Promise<string | undefined> {
  let verdict: KqlDiagnostic[];
  try {
    verdict = await context.verdict(hunt);
  } catch (error) {
    return `the hunt "${hunt.name}" could not be checked, so it was not sent: ${errorMessage(error)}`;
  }
  const errors = verdict.filter((d) => d.severity === 'Error');
  return errors.length > 0 ? `the hunt "${hunt.name}" has ${countOf(errors.length, 'KQL error')} and was not sent` : undefined;
}

/** Why a hunt cannot go into a batch: its own parser verdict, or a window it does not allow. */
async function unsendable(hunt: HuntDefinition, request: DeviceToolsRequest, context: DeviceToolsQueryContext): Promise<string | undefined> {
  const problem = await verdictProblem(hunt, context);
  if (problem) return problem;
  try {
    renderHuntQuery(hunt, { window: context.window, scope: { device: request.device } });
    return undefined;
  } catch (error) {
    return describeFailure(error).message;
  }
}

function toolRows(result: QueryResult, key: string, label: string, toolColumn: string | undefined): DeviceToolRow[] {
  return toDeviceHits(result, key, label).map((hit) => ({
    deviceId: hit.deviceId,
    deviceName: hit.deviceName,
    firstSeen: hit.firstSeen,
    lastSeen: hit.lastSeen,
    count: hit.count,
    ...(toolColumn ? { tools: hit.evidence.find((e) => e.name === toolColumn)?.values ?? [] } : {}),
  }));
}

export interface DeviceToolsShapeOptions {
  /** Active benign tags (every hunt's), or why they could not be read. */
  tags: readonly Exclusion[] | { unreadable: string };
  scenarios: readonly BenignScenario[];
  /** The hunt key of a tool named by an all-tools hunt (HuntCatalog.huntKeyOfTool). */
  huntKeyOfTool?: (toolName: string) => string | undefined;
  kindLabel(kind: string): string;
}

/** The section the card shows: tools seen per device (most recent first), tools hidden by a tag, and what could not be looked at. */
export function shapeDeviceTools(request: DeviceToolsRequest, outcome: DeviceToolsOutcome, options: DeviceToolsShapeOptions): DeviceToolsSection {
  const byId = new Map(request.hunts.map((h) => [h.id, h]));
  const found = new Map<string, DeviceToolSeen>();
  const blind = new Map<string, { hunts: number; reason: string }>();
  const checkedTools = new Set<string>();
  const notStarted: HuntDefinition[] = [];
  let signalsChecked = 0;
  // Per-tool hunts first: the all-tools network hunt only adds a tool its own network hunt did not see.
  const parts = [...outcome.parts].sort((a, b) => Number(isAllTools(byId.get(a.huntId))) - Number(isAllTools(byId.get(b.huntId))));
  for (const part of parts) {
    const hunt = byId.get(part.huntId);
    if (!hunt) continue;
    if ('notStarted' in part) {
      notStarted.push(hunt);
      continue;
    }
    if ('blind' in part) {
      const label = options.kindLabel(hunt.kind);
      const entry = blind.get(label) ?? { hunts: 0, reason: part.blind };
      entry.hunts += 1;
      blind.set(label, entry);
      continue;
    }
    signalsChecked += 1;
    if (!isAllTools(hunt)) checkedTools.add(huntKeyOf(hunt));
    for (const row of part.rows) {
      const named = hunt.toolColumn ? (row.tools ?? []).map((name) => ({ name, key: options.huntKeyOfTool?.(name) ?? huntKeyOf(hunt) })) : [{ name: hunt.toolName, key: huntKeyOf(hunt) }];
      for (const tool of named) {
        const id = `${tool.key}|${row.deviceId}`;
        const seen = found.get(id);
        if (!seen) {
          found.set(id, { toolName: tool.name, huntKey: tool.key, deviceId: row.deviceId, deviceName: row.deviceName, kinds: [hunt.kind], count: row.count, firstSeen: row.firstSeen, lastSeen: row.lastSeen });
        } else if (!(isAllTools(hunt) && seen.kinds.includes(hunt.kind))) {
          seen.kinds.push(hunt.kind);
          seen.count += row.count;
          seen.firstSeen = earlier(seen.firstSeen, row.firstSeen);
          seen.lastSeen = later(seen.lastSeen, row.lastSeen);
        }
      }
    }
  }

  const notes: string[] = [];
  const seen: DeviceToolSeen[] = [];
  const hidden: DeviceToolSeen[] = [];
  const tags = 'unreadable' in options.tags ? undefined : new Map(options.tags.map((t) => [t.searchKey, t]));
  if ('unreadable' in options.tags) notes.push(`Could not read the benign tags (${options.tags.unreadable}); no tool was hidden as benign.`);
  for (const raw of [...found.values()].sort(byLastSeen)) {
    const tool = { ...raw, kinds: [...new Set(raw.kinds.map((kind) => options.kindLabel(kind)))] };
    const tag = tags ? tagFor(tags, tool.huntKey, tool.deviceId) : undefined;
    if (tag) hidden.push({ ...tool, tag: tagOf(tag, options.scenarios) });
    else seen.push(tool);
  }
  return {
    family: request.family,
    toolsChecked: checkedTools.size,
    signalsChecked,
    signalsTotal: request.hunts.length,
    seen,
    hidden,
    couldNotLook: [...blind].map(([label, { hunts, reason }]) => `Could not look at ${label} signals (${countOf(hunts, 'hunt')}): ${reason}`),
    ...(notStarted.length > 0 ? { notLookedAt: notLookedAt(request, notStarted, outcome.deadlineSeconds, options.kindLabel) } : {}),
    notes,
    queryMs: outcome.durationMs,
  };
}

/**
 * What the deadline left unlooked at, exactly: a sentence saying so, then per signal kind the tools whose
 * hunt of that kind never started ("all N tools" when none of that kind started).
 */
function notLookedAt(request: DeviceToolsRequest, notStarted: readonly HuntDefinition[], seconds: number | undefined, kindLabel: (kind: string) => string): string[] {
  const deadline = seconds === undefined ? 'the lookup deadline' : `the ${seconds} s lookup deadline (HUNT_LOOKUP_DEADLINE_SECONDS)`;
  const lines = [`Not looked at: ${deadline} passed before ${countOf(notStarted.length, 'signal')} of ${request.hunts.length} could start; what was found before it is shown.`];
  const kinds = [...new Set(notStarted.map((hunt) => hunt.kind))];
  for (const kind of kinds) {
    const tools = notStarted.filter((hunt) => hunt.kind === kind).map((hunt) => hunt.toolName);
    const ofKind = request.hunts.filter((hunt) => hunt.kind === kind).length;
    const which = tools.length === ofKind && ofKind > 1 ? `all ${countOf(ofKind, 'tool')}` : [...new Set(tools)].sort((a, b) => a.localeCompare(b)).join(', ');
    lines.push(`Not looked at: ${kindLabel(kind)} signals of ${which}.`);
  }
  return lines;
}

function isAllTools(hunt: HuntDefinition | undefined): boolean {
  return hunt?.toolColumn !== undefined;
}

function byLastSeen(a: DeviceToolSeen, b: DeviceToolSeen): number {
  return timeOf(b.lastSeen) - timeOf(a.lastSeen) || a.toolName.localeCompare(b.toolName);
}

function timeOf(value: string | null): number {
  const ms = value === null ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? -Infinity : ms;
}

function earlier(a: string | null, b: string | null): string | null {
  if (b === null) return a;
  return a === null || timeOf(b) < timeOf(a) ? b : a;
}

function later(a: string | null, b: string | null): string | null {
  if (b === null) return a;
  return a === null || timeOf(b) > timeOf(a) ? b : a;
}
