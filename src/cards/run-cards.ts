import type { HuntRun } from '../runs/hunt-run';
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

export function resultCard(run: HuntRun): AdaptiveCardJson {
  if (run.status === 'failed') return failedRunCard(run);
  if (run.status === 'running') return runningCard(run);
  const queryMs = run.queries.reduce((sum, q) => sum + q.durationMs, 0);
  const warnings: string[] = [];
  if (run.cappedFrom) warnings.push(`The window was capped to ${run.windowText} (you asked for ${run.cappedFrom}).`);
  for (const q of run.queries) {
    if (q.partialError)
      warnings.push(`Partial results: ${truncate(q.partialError.message, 300)} (${q.partialError.code}). Some rows may be missing.`);
  }
  const shown = run.hits.slice(0, DEVICES_PER_CARD);
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
    hits: shown.map((hit) => ({
      deviceName: truncate(hit.deviceName, 120),
      deviceId: truncate(hit.deviceId, 80),
      firstSeen: formatUtc(hit.firstSeen),
      lastSeen: formatUtc(hit.lastSeen),
      count: String(hit.count),
      reports: `${hit.reports.length} report${hit.reports.length === 1 ? '' : 's'}`,
      detail: hitDetail(hit.signals, hit.evidence),
    })),
    moreText: run.hits.length > shown.length ? `… and ${run.hits.length - shown.length} more devices.` : '',
    queries: run.queries.map((q) => ({
      label: `${q.kind} · ${q.rowCount} rows · ${formatDuration(q.durationMs)}`,
      kql: q.kql,
    })),
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
