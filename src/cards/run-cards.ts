import type { DeviceHit, FailedHuntRun, HitTag, HuntRun, LookupPivot } from '../domain/hunt-run';
import { devicesInOrder, pivotsOf } from '../hunts/lookup-pivots';
import { bookmarkText } from './bookmark-text';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES } from '../domain/tag-expiry';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import { runDataWarnings } from '../domain/run-data-warnings';
import { advancedHuntingLink, deviceLink, sentinelLogsLink, type PortalLinkOptions } from '../links/portal-links';
import { cardBytes, expandCard } from './card-templates';
import { expandCardForEach, personalPlaceholder } from './shared-card-render';
import { formatDuration, formatUtc, listWithMore, truncate } from './text';
import { withoutServerPaths } from '../text/server-paths';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { countOf } from '../text/count-text';
import { rowNoun } from '../domain/entity-noun';
import { formatWallTime, offsetAt, offsetText } from '../util/zoned-time';
import { deviceToolsCardData } from './device-tools-card';

/** Devices on one page of a result card (Teams' card size budget and readability). */
export const DEVICES_PER_PAGE = 12;
/** Largest card we send: Teams rejects messages over ~100 KB, webhooks over 28 KB. */
export const CARD_BYTE_BUDGET = 25_000;
const KQL_SHOWN_MAX = 4_000;

function subtitle(run: HuntRun): string {
  // The description names the data folder for the start-up log; a card must not show server paths.
  const scope = run.scope ? ` · on ${truncate(cleanName(run.scope.device), 80)}` : '';
  return `${run.huntKey}${scope} · ${windowPhrase(run)} · ${withoutServerPaths(run.backendDescription, 'the configured data folder')}`;
}

/** `last 5d`, or for a window given as datetimes its UTC start and end (`since …` when it ends now). */
export function windowPhrase(run: HuntRun): string {
  if (!run.absoluteWindow) return `last ${run.windowText}`;
  if (run.absoluteWindow.form === 'since') return `since ${formatUtc(run.windowStart)}`;
  return `${formatUtc(run.windowStart)} → ${formatUtc(run.windowEnd)}`;
}

/** The window on the sender's clock: `2026-12-01 14:05 → 2026-12-03 17:30 Europe/Berlin (UTC+01:00)`. */
export function windowInZone(run: HuntRun): string | undefined {
  const zone = run.absoluteWindow?.senderZone;
  if (!zone || zone === 'UTC') return undefined;
  const start = new Date(run.windowStart);
  const end = new Date(run.windowEnd);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return undefined;
  const offsets = [...new Set([offsetText(offsetAt(start, zone)), offsetText(offsetAt(end, zone))])].map((o) => `UTC${o}`).join(' → ');
  return `${formatWallTime(start, zone)} → ${formatWallTime(end, zone)} ${zone} (${offsets})`;
}

/**
 * The running card: as first posted it says when the hunt was started (it may wait up to a second for its
 * turn without another card update); `queuePosition` is its place in line while it waits, 0 once running.
 * A burst of the same hunt templates it once (only the run id, status and requester differ).
 */
export function runningCard(run: HuntRun, state: { queuePosition?: number } = {}): AdaptiveCardJson {
  const position = state.queuePosition;
  const personal = {
    runId: run.runId,
    status:
      position === undefined
        ? `⏳ Started ${formatUtc(run.startedAt)}. This card updates in place when the hunt finishes.`
        : position > 0
          ? `⏳ Queued: ${ordinal(position)} in line for the workspace. This card updates in place.`
          : `⏳ Running since ${formatUtc(run.startedAt)}. This card updates in place when the hunt finishes.`,
    requestedBy: truncate(cleanName(run.requestedBy.name) || 'someone', 80),
  };
  const shared = {
    title: `Hunting ${run.title}`,
    subtitle: subtitle(run),
    runId: personalPlaceholder('runId'),
    status: personalPlaceholder('status'),
    requestedBy: personalPlaceholder('requestedBy'),
  };
  return expandCardForEach('running', shared, personal);
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** How one person looks at a result: everyone sees the shared view; paging and "show hidden" are per person. */
export interface ResultView {
  showHidden?: boolean;
  page?: number;
}

function onCard(data: ReturnType<typeof runDataWarnings>): ReturnType<typeof runDataWarnings> {
  const clean = (text: string) => withoutServerPaths(text, 'the configured data folder');
  return { ...data, messages: data.messages.map(clean), couldNotLook: data.couldNotLook.map(clean) };
}

export function resultCard(run: HuntRun, view: ResultView = {}): AdaptiveCardJson {
  if (run.status === 'failed') return failedRunCard(run);
  if (run.status === 'running') return runningCard(run);
  const queryMs = run.queries.reduce((sum, q) => sum + q.durationMs, 0);
  const warnings: string[] = [...(run.warnings ?? [])];
  if (run.reuse) {
    const age = Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.reuse.producedAt)) / 1000));
    warnings.push(
      run.reuse.kind === 'cached'
        ? `Reused a result from ${age} s ago (an identical hunt ran then). Press "Run again" for a fresh one.`
        : 'Joined an identical hunt that was already running, instead of querying again.',
    );
  }
  if (run.untaggable) warnings.push(run.untaggable);
  warnings.push(...(run.absoluteWindow?.notes ?? []));
  if (run.cappedFrom) {
    const why = run.cappedBecause ? ` ${run.cappedBecause}` : '';
    warnings.push(
      run.absoluteWindow
        ? `The window was ${run.cappedBecause ? 'cut to what the backend keeps' : "capped to the hunt's maximum"}: ${formatUtc(run.windowStart)} → ${formatUtc(run.windowEnd)} (you asked for ${run.cappedFrom}).${why}`
        : `The window was capped to ${run.windowText} (you asked for ${run.cappedFrom}).${why}`,
    );
  }
  for (const note of new Set(run.queries.flatMap((q) => q.notes ?? []))) warnings.push(note);
  for (const q of run.queries) {
    if (q.partialError)
      warnings.push(`Partial results: ${truncate(q.partialError.message, 300)} (${q.partialError.code}). Some rows may be missing.`);
  }
  // A table with no data makes "0 devices" mean "could not look", never "clean".
  // The messages name the data folder; a card (unlike the CLI and the logs) never shows a server path.
  const data = onCard(runDataWarnings(run));
  const noHits = run.hits.length === 0 && run.hidden.length === 0;
  warnings.push(...(noHits ? data.messages.filter((m) => !data.couldNotLook.includes(m)) : data.messages));
  const listed: DeviceHit[] = view.showHidden ? [...run.hits, ...run.hidden] : run.hits;
  const pages = Math.max(1, Math.ceil(listed.length / DEVICES_PER_PAGE));
  const page = Math.min(Math.max(0, Math.floor(view.page ?? 0)), pages - 1);
  let perPage = DEVICES_PER_PAGE;
  // Hostile or very long values could still push a page over budget: show fewer rows rather than fail.
  for (;;) {
    const shown = listed.slice(page * DEVICES_PER_PAGE, page * DEVICES_PER_PAGE + perPage);
    const card = withRefresh(personalised(resultData(run, view, warnings, queryMs, listed, shown, page, pages, data)), run);
    if (cardBytes(card) <= CARD_BYTE_BUDGET || perPage <= 1) return card;
    perPage = Math.max(1, Math.floor(perPage / 2));
  }
}

/**
 * The result card from its data, templated once for every requester shown the same result (hunts that
 * joined one backend run): only the run id and who asked differ between their cards.
 */
function personalised(data: ReturnType<typeof resultData>): AdaptiveCardJson {
  const shared = { ...data, runId: personalPlaceholder('runId'), requestedBy: personalPlaceholder('requestedBy') };
  return expandCardForEach('result', shared, { runId: data.runId, requestedBy: data.requestedBy });
}

function resultData(
  run: HuntRun,
  view: ResultView,
  warnings: string[],
  queryMs: number,
  listed: DeviceHit[],
  shown: DeviceHit[],
  page: number,
  pages: number,
  data: ReturnType<typeof runDataWarnings>,
) {
  const hiddenCount = run.hidden.length;
  // Azure-Sentinel hunts are about hosts, accounts, IP addresses, …; a query without mappings lists rows.
  const noun = rowNoun(run);
  const nouns = (n: number) => countOf(n, noun.singular, noun.plural);
  const Nouns = noun.plural.charAt(0).toUpperCase() + noun.plural.slice(1);
  // The header counts what the rows list: with hidden devices shown, those devices and their events too.
  const hiddenListed = view.showHidden ? hiddenCount : 0;
  const hiddenEvents = view.showHidden ? run.hidden.reduce((sum, hit) => sum + hit.count, 0) : 0;
  const devicesText = `${run.hits.length + hiddenListed}${hiddenListed > 0 ? ` (${hiddenListed} tagged benign)` : ''}`;
  const first = page * DEVICES_PER_PAGE;
  const omitted = Math.min(DEVICES_PER_PAGE, listed.length - first) - shown.length;
  const isLookup = run.entity !== undefined;
  const order = isLookup ? new Map(devicesInOrder(run).map((hit, index) => [hit.deviceId, index])) : new Map<string, number>();
  return {
    title: run.title,
    // The entity asked about, at the top; in a text run (an account's `_` or `\\` is not markdown).
    lookedUp: run.entity ? `Looked up ${run.entity.lookup}: ${truncate(run.entity.value, 300)}` : '',
    isLookup,
    deviceTools: deviceToolsCardData(run),
    subtitle: subtitle(run),
    rowHeader: noun.singular.charAt(0).toUpperCase() + noun.singular.slice(1),
    facts: [
      { title: 'Window', value: `${formatUtc(run.windowStart)} → ${formatUtc(run.windowEnd)}` },
      ...localWindowFact(run),
      { title: 'Backend', value: run.backend },
      { title: 'Query time', value: formatDuration(queryMs) },
      {
        title: Nouns,
        value: data.blindTables.length > 0 ? `${devicesText} (could not look at ${data.blindTables.join(', ')}: no data)` : devicesText,
      },
      { title: 'Events', value: String(run.totalEvents + hiddenEvents) },
    ],
    // A display name is user-controlled: it goes in a TextRun (never markdown), not in the FactSet.
    requestedBy: `Requested by ${truncate(cleanName(run.requestedBy.name) || 'someone', 80)}`,
    warnings,
    emptyText:
      data.couldNotLook.length > 0
        ? `Not a clean result: ${data.couldNotLook.join(' ')}`
        : // A TextBlock (markdown): the scoped device, user text, is named only in the subtitle's TextRun.
          `${run.entity ? `No device shows ${run.entity.lookup} ${truncate(run.entity.value, 120)}` : run.scope ? 'No hits on this device' : `No ${noun.plural} matched`} ${run.absoluteWindow ? windowPhrase(run) : `in the last ${run.windowText}`}.`,
    runId: run.runId,
    canRunAgain: run.reuse?.kind === 'cached',
    // More than one untagged device on the page: then "Tag all on this page" saves presses.
    untaggedOnPage: !run.untaggable && shown.filter((h) => !h.tag).length > 1 ? shown.filter((h) => !h.tag).length : 0,
    page,
    pages,
    showHidden: view.showHidden === true,
    pageText: `${Nouns} ${listed.length === 0 ? 0 : first + 1}–${first + shown.length} of ${listed.length} (page ${page + 1} of ${pages})`,
    hits: shown.map((hit) => ({
      id: hit.deviceId,
      tagged: hit.tag !== undefined,
      tagText: hit.tag ? tagText(hit.tag) : '',
      bookmarked: hit.bookmark !== undefined,
      bookmarkText: hit.bookmark ? bookmarkText(hit.bookmark) : '',
      bookmarkUrl: hit.bookmark?.url ?? '',
      deviceName: truncate(cleanName(hit.deviceName), 120),
      deviceUrl: (run.portal && !run.entityType && !run.untaggable && deviceLink(hit.deviceId, linkOptions(run))) || '',
      showTag: hit.tag === undefined && !run.untaggable,
      deviceId: truncate(cleanName(hit.deviceId), 80),
      firstSeen: formatUtc(hit.firstSeen),
      lastSeen: formatUtc(hit.lastSeen),
      count: String(hit.count),
      reports: countOf(hit.reports.length, 'report'),
      detail: hitDetail(hit.signals, hit.evidence),
      deviceIndex: order.get(hit.deviceId) ?? -1,
      pivots: isLookup ? pivotsOf(run, hit).slice(0, PIVOTS_PER_ROW).map(({ index, pivot }) => ({ index, title: pivotTitle(pivot) })) : [],
    })),
    moreText: omitted > 0 ? `${countOf(omitted, `more ${noun.singular}`, `more ${noun.plural}`)} on this page ${omitted === 1 ? 'was' : 'were'} left out to keep the card within Teams' size limit.` : '',
    hiddenCount,
    hiddenText: view.showHidden
      ? `Showing ${nouns(hiddenCount)} tagged benign before this run (marked).`
      : `${nouns(hiddenCount)} hidden as benign.`,
    hiddenActionTitle: view.showHidden ? 'Hide benign' : 'Show hidden',
    hiddenActionVerb: view.showHidden ? 'results.view' : 'results.hidden',
    advancedHuntingUrl: (run.portal && run.queries.length === 1 && advancedHuntingLink(run.queries[0].kql, linkOptions(run))) || '',
    sentinelLogsUrl:
      (run.portal?.workspaceResourceId &&
        run.queries.length === 1 &&
        sentinelLogsLink(run.queries[0].kql, run.portal.workspaceResourceId, linkOptions(run))) ||
      '',
    queries: run.queries.map((q) => ({
      label: `${q.kind} · ${countOf(q.rowCount, 'row')} · ${formatDuration(q.durationMs)}`,
      kql: truncate(q.kql, KQL_SHOWN_MAX),
    })),
  };
}

function localWindowFact(run: HuntRun): Array<{ title: string; value: string }> {
  const local = windowInZone(run);
  return local ? [{ title: 'Your time', value: local }] : [];
}

/** Look up buttons per device row: more would crowd the row (the rest are on other rows or a click away). */
const PIVOTS_PER_ROW = 4;

/** "Look up hash 3f2a9c01…", "Look up cdn.example.com". */
function pivotTitle(pivot: LookupPivot): string {
  if (pivot.lookup === 'hash') return `Look up hash ${pivot.value.slice(0, 8)}…`;
  return `Look up ${truncate(pivot.value, 40)}`;
}

/** Teams refreshes a card automatically for at most this many named people (all, in smaller conversations). */
export const REFRESH_USER_IDS_MAX = 60;

/**
 * Universal Actions `refresh`: whoever opens the card gets their own view with the current tags. `userIds`
 * are Teams user MRIs (`activity.from.id`, the members' `id`): the person who started the hunt first, then
 * the conversation's members read when it was rendered (run.audience), at most Teams' 60.
 */
function withRefresh(card: AdaptiveCardJson, run: HuntRun): AdaptiveCardJson {
  const people = [run.requestedBy.id, ...(run.audience ?? [])];
  const userIds = [...new Set(people.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 200))].slice(0, REFRESH_USER_IDS_MAX);
  return { ...card, refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'results.refresh', data: { runId: run.runId } }, userIds } };
}

/** "Benign: Backup job execution — Alice, 2026-11-28 10:02 UTC (until …)" plus the justification. */
export function tagText(tag: HitTag): string {
  const until = tag.expiresAtUtc ? `until ${formatUtc(tag.expiresAtUtc)}` : 'no expiry';
  const why = tag.justification ? ` · “${truncate(cleanDisplayText(tag.justification), 200)}”` : '';
  return `Benign${scopeText(tag)}: ${tag.scenarioTitle} — ${truncate(cleanName(tag.byName) || 'someone', 60)}, ${formatUtc(tag.atUtc)} (${until})${why}`;
}

/** The per-device tag form, returned to the clicker only (input ids must be unique per card). */
export function tagFormCard(
  run: HuntRun,
  hit: DeviceHit,
  state: {
    errors?: string[];
    scenario?: string;
    justification?: string;
    expiry?: string;
    expiresOn?: string;
    scope?: string;
    retry?: boolean;
    /** The result view the form was opened from: "Back to results" and the card after saving return to it. */
    view?: ResultView;
  } = {},
): AdaptiveCardJson {
  return expandCard('tag-form', {
    title: `Tag ${truncate(cleanName(hit.deviceName), 80)} as benign`,
    subtitle: `${run.title} (${run.huntKey}) · ${truncate(cleanName(hit.deviceId), 60)}`,
    errors: state.errors ?? [],
    scenario: state.scenario ?? '',
    justification: state.justification ?? '',
    expiry: state.expiry ?? DEFAULT_EXPIRY,
    expiresOn: state.expiresOn ?? '',
    scope: state.scope || 'device',
    scopes: scopeChoices(run, hit),
    scenarios: run.scenarios.map((s) => ({ id: s.id, title: s.title, description: truncate(s.description, 200) })),
    expiries: EXPIRY_CHOICES.map((value) => ({ value, title: value === 'never' ? 'never' : `in ${value.slice(0, -1)} days` })),
    saveTitle: state.retry ? 'Retry saving' : 'Save tag',
    runId: run.runId,
    deviceId: hit.deviceId,
    page: Math.max(0, Math.floor(state.view?.page ?? 0)),
    showHidden: state.view?.showHidden === true,
  });
}

/** The tag scopes in words for this hunt and device. */
function scopeChoices(run: HuntRun, hit: DeviceHit): Array<{ value: string; title: string }> {
  const [family = '', tool = run.huntKey] = run.huntKey.split('/');
  const device = truncate(cleanName(hit.deviceName), 40) || 'this device';
  return [
    { value: 'device', title: `This tool (${tool}) on ${device}` },
    { value: 'family-device', title: `Every ${family} tool on ${device}` },
    { value: 'tool-everywhere', title: `${tool} on every device (a sanctioned tool)` },
  ];
}

/** What a tag's scope adds to its line on the card. */
function scopeText(tag: HitTag): string {
  if (tag.scope === 'family-device') return ' (every tool of this family on this device)';
  if (tag.scope === 'tool-everywhere') return ' (this tool on every device)';
  return '';
}

function linkOptions(run: HuntRun): PortalLinkOptions {
  return {
    cloud: run.portal?.cloud,
    tenantId: run.portal?.tenantId || undefined,
    window: { start: new Date(run.windowStart), end: new Date(run.windowEnd) },
  };
}

function hitDetail(signals: string[], evidence: Array<{ name: string; values: string[] }>): string {
  const parts: string[] = [];
  if (signals.length > 0) parts.push(`Signals: ${listWithMore(signals, 5)}`);
  for (const e of evidence) parts.push(`${e.name}: ${truncate(listWithMore(e.values.map((v) => truncate(cleanName(v), 80)), 3), 300)}`);
  return parts.join(' · ');
}

export function failedRunCard(run: FailedHuntRun): AdaptiveCardJson {
  const failure = run.failure;
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
