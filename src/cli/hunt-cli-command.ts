import * as path from 'node:path';
import { backendWindowLimit, createBackend } from '../backends/create-backend';
import { handleHunt } from '../commands/hunt-command';
import { canonicalTimeZone } from '../util/zoned-time';
import { ConfigError, loadConfig } from '../config/config';
import { HuntCatalog } from '../hunts/catalog';
import { builtinVerdictsFile } from '../hunts/builtin-verdicts';
import { QueryCheckCache } from '../hunts/query-check-cache';
import { checkQuery, warmUpKql } from '../kql';
import pino from 'pino';
import { tagText, windowInZone, windowPhrase } from '../cards/run-cards';
import { deviceToolsCardData } from '../cards/device-tools-card';
import { createLogger } from '../logging/logger';
import { HuntRunner } from '../runs/hunt-runner';
import { runDataWarnings } from '../domain/run-data-warnings';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import { isActive, tagsForHunt } from '../stores/exclusion-store';
import { engineWatchlists, huntWatchlistAlias, openTagStore } from '../tags/tag-store-wiring';
import type { CliIO } from './io';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, defineCommand } from './command-line';

const USAGE = 'usage: huntbot hunt <family> <tool> [<kind>|all] [<window>] [on <device>] [--tz ZONE] [--data DIR] [--show-hidden] [--json]';

/** `huntbot hunt ...`: the same hunt the bot runs, printed to the terminal. */
export const huntCliCommand = defineCommand({
  name: 'hunt',
  usage: USAGE,
  help: `Runs the hunt the bot runs for "hunt <family> <tool> ..." (same configuration, same tag store) and prints the
devices, how many were hidden as benign, what could not be looked at, and the KQL. Window: <n>m, <n>h or <n>d,
since <datetime>, <datetime>..<datetime> or around <datetime> ±<n>h (ISO 8601, e.g. 2026-12-01T14:05+01:00).
on <device> keeps one device (DeviceName, short name or DeviceId).

  --tz ZONE       IANA time zone for datetimes without an offset (default UTC), e.g. Europe/Berlin
  --data DIR      run on the embedded engine over a folder of <Table>.jsonl files
  --show-hidden   list the devices hidden as benign, with their tag
  --json          print the whole run as JSON

Exit 0 when the hunt ran, 1 when it failed (unreadable data included), 2 on a usage error (an unknown tool
is one) or a bad setting.`,
  options: { data: { type: 'string' }, json: { type: 'boolean' }, 'show-hidden': { type: 'boolean' }, tz: { type: 'string' } },
  run: async ({ values, positionals }, io) =>
    runHunt(positionals, { dataDir: values.data || undefined, json: values.json === true, showHidden: values['show-hidden'] === true, timeZone: values.tz }, io),
});

async function runHunt(words: string[], flags: { dataDir?: string; json: boolean; showHidden: boolean; timeZone?: string }, io: CliIO): Promise<number> {
  const { dataDir, json, showHidden, timeZone } = flags;
  if (timeZone !== undefined && !canonicalTimeZone(timeZone)) {
    io.err(`huntbot hunt: --tz ${JSON.stringify(timeZone.slice(0, 64))} is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).`);
    return EXIT_USAGE;
  }
  let config;
  try {
    config = loadConfig({ ...process.env, ...(dataDir ? { HUNT_DATA_DIR: dataDir, HUNT_BACKEND: 'local' } : {}) });
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String(error));
    return EXIT_USAGE;
  }
  // Checked against the bundled schema whatever the backend, as the build's verdicts are: they answer under the same key.
  const checks = new QueryCheckCache(path.join(config.cacheDir, 'kql-checks.json'), checkQuery, undefined, builtinVerdictsFile());
  const { catalog, problems } = HuntCatalog.load({ huntFolders: config.huntFolders, checkQuery: checks.check });
  checks.flush();
  for (const p of problems) io.err(`skipped ${p.path}: ${p.reason}`);

  const reply = handleHunt(catalog, { words: words.map((w) => w.toLowerCase()), raw: words }, { now: new Date(), timeZone, backendLimit: backendWindowLimit(config) });
  if (reply.kind !== 'run-hunt') {
    // The bot's own answer ("did you mean ...") is the clearest usage message for a command it cannot run.
    io.err(`huntbot hunt: ${reply.kind === 'text' ? reply.text : `incomplete command. ${USAGE}`}`);
    return EXIT_USAGE;
  }
  await warmUpKql();
  // The same tag store the bot uses (HUNT_STORE_PATH or the watchlist settings), honoured the same way.
  const store = openTagStore(config, createLogger('warn', pino.destination(2)));
  const backend = createBackend(config, undefined, engineWatchlists(config, store));
  try {
    const runner = new HuntRunner({
      backend,
      // As the bot does: a run's query shape is checked once and the verdict kept on disk with the catalog's
      // (a device lookup checks ~200 scoped RMM hunts; the build's verdicts answer the built-in ones).
      checkQuery: checks.checkAndKeep,
      activeTags: async (huntKey) => (huntKey === undefined ? await store.list() : tagsForHunt(await store.list(), huntKey)).filter((tag) => isActive(tag, new Date())),
      huntKeyOfTool: (family, toolName) => catalog.huntKeyOfTool(family, toolName),
      watchlistAlias: huntWatchlistAlias(config),
      lookupDeadlineSeconds: config.lookup.deadlineSeconds,
    });
    const requester = { id: 'cli', aadObjectId: '', name: process.env.USER ?? 'cli', tenantId: '', conversationId: 'cli' };
    const run = await runner.complete(runner.start(reply.request, requester), reply.request);
    if (json) io.out(JSON.stringify(run, null, 2));
    else printRun(run, io, showHidden);
    return run.status === 'done' ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await backend.close?.();
    await store.close?.();
  }
}

function printRun(run: HuntRun, io: CliIO, showHidden: boolean): void {
  io.out(`${run.title} — ${run.huntKey}${run.scope ? ` on ${run.scope.device}` : ''}, ${windowPhrase(run)}, ${run.backendDescription}`);
  const local = windowInZone(run);
  if (local) io.out(`window in ${run.absoluteWindow?.senderZone}: ${local}`);
  for (const note of run.absoluteWindow?.notes ?? []) io.err(`note: ${note}`);
  if (run.status === 'failed') {
    io.err(`failed: ${run.failure.message}\n${run.failure.detail}\nwhat to do: ${run.failure.advice}`);
    return;
  }
  const data = runDataWarnings(run);
  const blind = data.blindTables.length > 0 ? ` (could not look at ${data.blindTables.join(', ')}: no data)` : '';
  for (const warning of [...(run.warnings ?? []), ...data.messages]) io.err(`warning: ${warning}`);
  io.out(`${countOf(run.hits.length, 'device')}${blind}, ${countOf(run.totalEvents, 'event')}, ${run.queries.map((q) => `${Math.round(q.durationMs)} ms`).join(' + ')}`);
  for (const hit of run.hits) io.out(hitLine(hit));
  const hidden = run.hidden.length;
  if (hidden > 0) {
    io.out(`${countOf(hidden, 'device')} hidden as benign${showHidden ? ':' : ' (--show-hidden lists them)'}`);
    if (showHidden) for (const hit of run.hidden) io.out(`${hitLine(hit)}${hit.tag ? `  [${tagText(hit.tag)}]` : ''}`);
  }
  const tools = deviceToolsCardData(run);
  if (tools.shown) for (const line of ['', tools.heading, ...tools.lines.map((l) => `  ${l}`), ...tools.status, ...tools.problems.map((p) => `warning: ${p}`)]) io.out(line);
  for (const q of run.queries) io.out(`\n-- ${q.kind} query:\n${q.kql}`);
}

function hitLine(hit: DeviceHit): string {
  const extra = [...(hit.signals.length ? [`signals: ${hit.signals.join(',')}`] : []), ...hit.evidence.map((e) => `${e.name}: ${e.values.slice(0, 3).join(',')}`)];
  return `  ${hit.deviceName}  ${hit.deviceId}  ${hit.firstSeen ?? ''} .. ${hit.lastSeen ?? ''}  count=${hit.count} reports=${hit.reports.length}${extra.length ? `  ${extra.join('  ')}` : ''}`;
}
