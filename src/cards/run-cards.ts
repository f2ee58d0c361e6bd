import type { DeviceHit, HitTag, HuntRun } from '../runs/hunt-run';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES } from '../tags/tag-form';
import type { AdaptiveCardJson } from '../commands/command-reply';
import { expandCard } from './card-templates';
import { formatDuration, formatUtc, listWithMore, truncate } from './text';

/** Devices shown on one result card; the rest are counted (paging comes with large results). */
export const DEVICES_PER_CARD = 15;

function subtitle(run: HuntRun): string {
  return `${run.huntKey} · last ${run.windowText} · ${run.backendDescription}`;
}

export function runningCard(run: HuntRun): AdaptiveCardJson {
  return expandCard('running', {
    title: `Hunting ${run.title}`,
    subtitle: subtitle(run),
    status: `⏳ Running since ${formatUtc(run.startedAt)}. This card updates in place when the hunt finishes.`,
    requestedBy: truncate(run.requestedBy.name || 'someone', 80),
  });
}

/** How one person looks at a result: everyone sees the shared view; paging and "show hidden" are per person. */
export interface ResultView {
  showHidden?: boolean;
}

export function resultCard(run: HuntRun, view: ResultView = {}): AdaptiveCardJson {
  if (run.status === 'failed') return failedRunCard(run);
  if (run.status === 'running') return runningCard(run);
  const queryMs = run.queries.reduce((sum, q) => sum + q.durationMs, 0);
  const warnings: string[] = [];
  if (run.cappedFrom) warnings.push(`The window was capped to ${run.windowText} (you asked for ${run.cappedFrom}).`);
  for (const q of run.queries) {
    if (q.partialError)
      warnings.push(`Partial results: ${truncate(q.partialError.message, 300)} (${q.partialError.code}). Some rows may be missing.`);
  }
  const listed: DeviceHit[] = view.showHidden ? [...run.hits, ...run.hidden] : run.hits;
  const shown = listed.slice(0, DEVICES_PER_CARD);
  const hiddenCount = run.hidden.length;
  return expandCard('result', {
    title: run.title,
    subtitle: subtitle(run),
    facts: [
      { title: 'Window', value: `${formatUtc(run.windowStart)} → ${formatUtc(run.windowEnd)}` },
      { title: 'Backend', value: run.backend },
      { title: 'Query time', value: formatDuration(queryMs) },
      { title: 'Devices', value: String(run.hits.length) },
      { title: 'Events', value: String(run.totalEvents) },
      { title: 'Requested by', value: truncate(run.requestedBy.name || 'someone', 80) },
    ],
    warnings,
    emptyText: `No devices matched in the last ${run.windowText}.`,
    runId: run.runId,
    hits: shown.map((hit) => ({
      id: hit.deviceId,
      tagged: hit.tag !== undefined,
      tagText: hit.tag ? tagText(hit.tag) : '',
      deviceName: truncate(hit.deviceName, 120),
      deviceId: truncate(hit.deviceId, 80),
      firstSeen: formatUtc(hit.firstSeen),
      lastSeen: formatUtc(hit.lastSeen),
      count: String(hit.count),
      reports: `${hit.reports.length} report${hit.reports.length === 1 ? '' : 's'}`,
      detail: hitDetail(hit.signals, hit.evidence),
    })),
    moreText: listed.length > shown.length ? `… and ${listed.length - shown.length} more devices.` : '',
    hiddenCount,
    hiddenText: view.showHidden
      ? `Showing ${hiddenCount} device${hiddenCount === 1 ? '' : 's'} tagged benign before this run (marked).`
      : `${hiddenCount} device${hiddenCount === 1 ? '' : 's'} hidden as benign.`,
    hiddenActionTitle: view.showHidden ? 'Hide benign' : 'Show hidden',
    hiddenActionVerb: view.showHidden ? 'results.view' : 'results.hidden',
    queries: run.queries.map((q) => ({
      label: `${q.kind} · ${q.rowCount} rows · ${formatDuration(q.durationMs)}`,
      kql: q.kql,
    })),
  });
}

/** "Benign: Backup job execution — Alice, 2026-11-28 10:02 UTC (until …)" plus the justification. */
export function tagText(tag: HitTag): string {
  const until = tag.expiresAtUtc ? `until ${formatUtc(tag.expiresAtUtc)}` : 'no expiry';
  const why = tag.justification ? ` · “${truncate(tag.justification, 200)}”` : '';
  return `Benign: ${tag.scenarioTitle} — ${truncate(tag.byName || 'someone', 60)}, ${formatUtc(tag.atUtc)} (${until})${why}`;
}

/** The per-device tag form, returned to the clicker only (input ids must be unique per card). */
export function tagFormCard(
  run: HuntRun,
  hit: DeviceHit,
  state: { errors?: string[]; scenario?: string; justification?: string; expiry?: string; expiresOn?: string; retry?: boolean } = {},
): AdaptiveCardJson {
  return expandCard('tag-form', {
    title: `Tag ${truncate(hit.deviceName, 80)} as benign`,
    subtitle: `${run.title} (${run.huntKey}) · ${truncate(hit.deviceId, 60)}`,
    errors: state.errors ?? [],
    scenario: state.scenario ?? '',
    justification: state.justification ?? '',
    expiry: state.expiry ?? DEFAULT_EXPIRY,
    expiresOn: state.expiresOn ?? '',
    scenarios: run.scenarios.map((s) => ({ id: s.id, title: s.title, description: truncate(s.description, 200) })),
    expiries: EXPIRY_CHOICES.map((value) => ({ value, title: value === 'never' ? 'never' : `in ${value.slice(0, -1)} days` })),
    saveTitle: state.retry ? 'Retry saving' : 'Save tag',
    runId: run.runId,
    deviceId: hit.deviceId,
  });
}

function hitDetail(signals: string[], evidence: Array<{ name: string; values: string[] }>): string {
  const parts: string[] = [];
  if (signals.length > 0) parts.push(`Signals: ${listWithMore(signals, 5)}`);
  for (const e of evidence) parts.push(`${e.name}: ${truncate(listWithMore(e.values.map((v) => truncate(v, 80)), 3), 300)}`);
  return parts.join(' · ');
}

export function failedRunCard(run: HuntRun): AdaptiveCardJson {
  const failure = run.failure ?? { kind: 'internal', message: 'The hunt failed.', advice: 'Run it again.', detail: '' };
  return expandCard('error', {
    title: `Hunt failed: ${run.title}`,
    message: truncate(failure.message, 500),
    advice: failure.advice,
    detail: truncate(failure.detail, 1500),
    correlationId: run.correlationId,
  });
}

export function errorCard(title: string, message: string, advice: string, correlationId: string): AdaptiveCardJson {
  return expandCard('error', { title, message: truncate(message, 500), advice, detail: '', correlationId });
}
