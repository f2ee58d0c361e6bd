import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { createBackend } from './backends/create-backend';
import { createStateStore } from './bot/blob-state-store';
import { createBotAdapter, createPromptState } from './bot/bot-runtime';
import { HuntBot } from './bot/hunt-bot';
import { ProactiveCardPublisher } from './bot/proactive-card-publisher';
import { TeamsConversationMembers } from './bot/teams-conversation-members';
import { createHttpServer, listen } from './bot/server';
import { CardActionGuard } from './actions/card-action-guard';
import { CardActionRouter } from './actions/card-action-router';
import { registerResultActions } from './actions/tag-actions';
import { registerExpiryActions } from './actions/expiry-actions';
import { AuthorizationPolicy } from './auth/authorization-policy';
import { CommandRegistry } from './commands/command-registry';
import { exclusionsCommand, untagCommand } from './commands/exclusions-command';
import { helpCommand } from './commands/help-command';
import { huntCommand } from './commands/hunt-command';
import { lookupCommand } from './commands/lookup-command';
import { huntsCommand } from './commands/hunts-command';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import type { Env } from './config/env';
import { HuntCatalog } from './hunts/catalog';
import { loadCatalogThroughParser } from './hunts/catalog-through-parser';
import { QueryCheckCache, schemaVersion } from './hunts/query-check-cache';
import { builtinVerdictsFile } from './hunts/builtin-verdicts';
import { warmUpKql } from './kql';
import { exitAfterLogs } from './logging/exit-after-logs';
import { createLogger, type Logger } from './logging/logger';
import { HuntRunner } from './runs/hunt-runner';
import { InflightTracker } from './runs/inflight-tracker';
import { RunRegistry } from './runs/run-registry';
import { RunRetention } from './runs/retention';
import { RunService } from './runs/run-service';
import { BoundedCardPublisher } from './runs/bounded-card-publisher';
import { QueryScheduler, SingleFlight } from './scheduling';
import { MessageRateLimit } from './scheduling/message-rate-limit';
import { registerRunActions } from './actions/run-actions';
import { registerLookupActions } from './actions/lookup-actions';
import { registerEscalationActions } from './actions/bookmark-actions';
import { registerBulkTagActions } from './actions/bulk-tag-actions';
import { registerRefreshAction } from './actions/refresh-actions';
import { ViewMemory } from './actions/view-memory';
import { bookmarksCommand } from './commands/bookmarks-command';
import { auditCommand } from './commands/audit-command';
import { BookmarkService } from './escalation/bookmark-service';
import { openBookmarkStore } from './escalation/bookmark-store-wiring';
import { TagService } from './tags/tag-service';
import { MAX_KEPT_NOTICES } from './tags/expiry-notices';
import { wireTagExpiryNotices, type TagExpiryNotices } from './tags/expiry-wiring';
import { engineWatchlists, huntWatchlistAlias, openTagStore } from './tags/tag-store-wiring';
import { eventLoopUsage } from './health/event-loop-usage';
import { Readiness } from './health/readiness';
import { UnavailableExclusionStore } from './stores/unavailable-store';
import type { ExclusionStore } from './stores/exclusion-store';
import { rememberServerPaths, withoutServerPaths } from './text/server-paths';
import { FileStateStore } from './state/file-state-store';
import { ProcessLock } from './state/process-lock';
import type { StateStore } from './state/state-store';
import { startQuerySchema } from './schema/query-schema';
import { warmCardTemplates } from './cards/card-templates';
import { ForegroundRequests } from './scheduling/foreground-requests';
import { errorMessage } from './util/error-message';

/** Card updates sent to the Bot Framework connector at once. */
const CONNECTOR_CALLS_AT_ONCE = 8;

/** Room in memory run state for what is not a run (in-flight index, instance heartbeats, the expiring-tags notices). */
const STATE_KEYS_BESIDES_RUNS = 1000 + MAX_KEPT_NOTICES;

export interface RunningApp {
  url: string;
  config: AppConfig;
  runs: RunService;
  logger: Logger;
  /** The daily expiring-tags job: `run` runs it now (tests, operators); the timer runs it daily. */
  tagExpiry: Pick<TagExpiryNotices, 'run'>;
  /** Resolves once card presses still at work (a pivot's command, a late change) and the hunts they started have finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Seams for tests and embedding: identity for Azure calls (default: managed identity / DefaultAzureCredential). */
export interface AppOverrides {
  credential?: TokenCredential;
}

/** The composition root: config → backends → stores → commands → bot → server. */
export async function startApp(env: Env, logger?: Logger, overrides: AppOverrides = {}): Promise<RunningApp> {
  const config = loadConfig(env);
  const log = logger ?? createLogger(config.logLevel);
  // The retention below decides which runs go; the memory store's own first-in-first-out limit stays out of its way.
  const state = createStateStore(config.runState, { memoryCapacity: config.fairness.maxRetainedRuns + STATE_KEYS_BESIDES_RUNS });
  rememberServerPaths([config.storePath, config.cacheDir, config.dataDir, ...config.huntsDirs]);

  const store = await openCheckedStore(config, log, overrides.credential);
  const runRegistry = new RunRegistry(
    state.store,
    new RunRetention({ capacity: state.store.name === 'memory' ? config.fairness.maxRetainedRuns : undefined }),
  );
  const tags = new TagService(store, runRegistry, log);
  const bookmarkStore = openBookmarkStore(config, log, overrides.credential);
  const backend = createBackend(config, overrides.credential, engineWatchlists(config, store), config.load.engineWorkers, {
    onDataLoaded: (report) =>
      log.info({ event: 'data-loaded', setting: 'HUNT_CACHE_DIR', ...report }, `embedded engine data loaded; snapshot ${report.snapshot}${report.reason ? ` (${report.reason})` : ''}`),
    onParserChange: (change) =>
      change.failure === undefined
        ? log.warn({ event: 'kql-parser-restarted', ...change }, 'the Kusto parser process was restarted')
        : log.error({ event: 'kql-parser-unavailable', ...change }, 'the Kusto parser process is unavailable: embedded hunts fail until it restarts'),
  });
  // While the engine's threads load the data, this thread checks the hunts, and parses the hunt cards'
  // templates rather than in the first burst of hunts. The worker engine's parser process answers the
  // checks (one parser loaded, not two); without one (Sentinel, Defender, in-process engine) this thread warms its own.
  warmCardTemplates(['running', 'result', 'error']);
  const parser = backend.kqlQuestions;
  if (!parser) await warmUpKql();

  // Sentinel mode checks against the workspace's own schema (read now and hourly); local mode, the bundled one.
  const schema = await startQuerySchema(config, log, overrides.credential);
  // The build's verdicts on the built-in hunts share the key (a workspace schema's fingerprint is part of it, so Sentinel mode checks anew
  // once it has read its workspace's schema; until then it checks against the bundled schema, as local mode does, under the same key).
  // The workspace's schema is read again hourly: each verdict is kept under the schema it was reached on.
  const checks = new QueryCheckCache(path.join(config.cacheDir, 'kql-checks.json'), schema.check, () => schemaVersion(schema.version()), builtinVerdictsFile());
  const { catalog, problems } = parser
    ? await loadCatalogThroughParser(parser, { huntFolders: config.huntFolders }, checks)
    : HuntCatalog.load({ huntFolders: config.huntFolders, checkQuery: checks.check });
  checks.flush();
  for (const problem of problems) log.warn({ event: 'hunt-file-rejected', path: problem.path, reason: problem.reason }, 'hunt file skipped');

  await backend.ready?.();
  // Said once at start as well as on each card that reads an affected table.
  for (const note of backend.dataNotes?.() ?? []) log.warn({ event: 'data-note', note }, 'hunt data');

  const bookmarks = new BookmarkService(bookmarkStore, runRegistry, log, (huntId) => catalog.byId(huntId)?.relevantTechniques ?? []);
  const policy = new AuthorizationPolicy(config.authorization, log);
  const registry = new CommandRegistry(policy, log);
  registry
    .register(huntCommand(catalog, backend.windowLimit))
    .register(lookupCommand(catalog, backend.windowLimit))
    .register(huntsCommand(catalog))
    .register(exclusionsCommand(catalog, tags))
    .register(untagCommand(catalog, tags))
    .register(bookmarksCommand(bookmarks))
    .register(auditCommand(catalog, tags))
    .register(helpCommand(() => registry.specs()));
  const adapter = createBotAdapter({ ...config.bot.sdkSettings }, log);
  // Card updates share a few connector calls at a time, so a burst of hunts cannot exhaust sockets.
  const proactive = new ProactiveCardPublisher(adapter, config.bot.appId, log);
  const publisher = new BoundedCardPublisher(proactive, CONNECTOR_CALLS_AT_ONCE);
  // Every card action is admitted here first: permission, then the run, loaded once, from this conversation.
  const actions = new CardActionRouter(new CardActionGuard(policy, runRegistry, log), log);
  const views = new ViewMemory();
  const tagExpiry = wireTagExpiryNotices({ config: config.tagExpiry, state: state.store, store, poster: proactive, logger: log });
  registerResultActions(actions, tags, publisher, log, views, tagExpiry.onTagSaved);
  registerRefreshAction(actions, tags, views, log);
  registerEscalationActions(actions, bookmarks, tags, publisher, log);
  registerBulkTagActions(actions, tags, publisher, log, tagExpiry.onTagSaved);
  registerExpiryActions(actions, tagExpiry.notices, tagExpiry.choices, publisher, log);

  const runner = new HuntRunner({
    backend,
    // A run's query shape is checked once; the verdict is kept on disk with the catalog's, so a restart does not redo it.
    checkQuery: parser ? (kql) => checks.checkAndKeepThrough(kql, parser.check) : checks.checkAndKeep,
    activeTags: (huntKey) => tags.activeTags(huntKey),
    huntKeyOfTool: (family, toolName) => catalog.huntKeyOfTool(family, toolName),
    watchlistAlias: huntWatchlistAlias(config),
    portal: portalContext(config),
    lookupDeadlineSeconds: config.lookup.deadlineSeconds,
  });
  const journal = inflightJournal(state.store, config, log);
  const inflight = new InflightTracker(journal.store, runRegistry, publisher, log, { exclusive: journal.exclusive });
  await inflight.start();
  tagExpiry.start();
  const foreground = new ForegroundRequests();
  const runs = new RunService(runner, runRegistry, publisher, log, backend.name, {
    inflight,
    foreground,
    scheduler: new QueryScheduler({ maxConcurrent: config.load.maxConcurrentQueries, maxPerUser: config.load.maxQueriesPerUser }),
    flights: new SingleFlight({ ttlMs: config.load.resultTtlSeconds * 1000 }),
    maxQueuedPerUser: config.fairness.maxQueuedPerUser,
    members: new TeamsConversationMembers(adapter, config.bot.appId),
  });
  registerRunActions(actions, runs, registry, publisher, log);
  registerLookupActions(actions);
  const bot = new HuntBot({
    registry,
    catalog,
    runs,
    actions,
    rateLimit: new MessageRateLimit({ perMinute: config.fairness.messagesPerMinute, burst: config.fairness.messageBurst }),
    lookUpUpn: policy.needsUpn,
    promptState: createPromptState(),
    logger: log,
    cardAnswerMs: config.bot.cardAnswerSeconds * 1000,
    notify: publisher.notify ? (target, text) => publisher.notify!(target, text) : undefined,
    inConversation: (reference, work) => proactive.inProactiveTurn(reference, work),
  });

  const readiness = new Readiness(
    {
      exclusionStore: async () => store.checkHealth?.(),
      runState: async () => {
        await state.store.read('health/probe');
        return undefined;
      },
      backend: async () => {
        await (backend.available ?? backend.ready)?.call(backend);
        return undefined;
      },
    },
    {
      onChange: (check, reason) =>
        reason === undefined
          ? log.info({ event: 'readiness-check-ok', check }, `${check} is healthy again`)
          : log.error({ event: 'readiness-check-failing', check, reason }, `${check} is failing: the bot reports not ready on /readyz`),
    },
  );
  const server = createHttpServer({
    adapter,
    bot,
    logger: log,
    foreground,
    readiness: () => readiness.report(),
    health: () => ({
      status: 'ok',
      backend: backend.name,
      backendDescription: withoutServerPaths(backend.description, 'the configured data folder'),
      hunts: catalog.size,
      schema: schema.describe(),
      ...runs.stats(),
      eventLoop: eventLoopUsage(),
    }),
  });
  const address = await listen(server, config.port, config.host);
  const url = `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  log.info(
    {
      event: 'started',
      url,
      backend: backend.description,
      runState: state.description,
      hunts: catalog.size,
      authentication: config.bot.authEnabled ? `on (${config.bot.appType})` : 'off: loopback only',
    },
    config.bot.authEnabled
      ? `Hunt bot listening on ${url}/api/messages`
      : `Hunt bot listening on ${url}/api/messages without authentication (no MicrosoftAppId) — local use only`,
  );

  return {
    url,
    config,
    runs,
    logger: log,
    tagExpiry,
    idle: async () => {
      await bot.pressesDone();
      await runs.idle();
    },
    close: async () => {
      tagExpiry.stop();
      inflight.stop();
      schema.stop();
      server.close();
      // Card presses first: a pivot's lookup or a late "Run again" starts a hunt, which runs.idle() then waits for.
      await bot.pressesDone();
      await runs.idle();
      // Only now: a process that takes the journal over must not see this one's running hunts as orphans.
      journal.release();
      await backend.close?.();
      await store.close?.();
      await bookmarkStore.close?.();
    },
  };
}

/**
 * The tag store, checked before the bot serves anything. A store that cannot be opened or fails
 * SQLite's integrity check does not stop the start (restarting cannot repair a file, and a bot that
 * is down answers nobody): the problem is logged with the setting to fix, every tag action says the
 * store is unavailable, and /readyz reports the bot degraded until the file is repaired or replaced.
 */
async function openCheckedStore(config: AppConfig, log: Logger, credential?: TokenCredential): Promise<ExclusionStore> {
  let store: ExclusionStore;
  try {
    store = openTagStore(config, log, credential);
  } catch (error) {
    // Watchlist settings that cannot work are a configuration error: stop, as for any other.
    if (config.watchlist) throw error;
    const reason = errorMessage(error);
    log.error({ event: 'store-unavailable', setting: 'HUNT_STORE_PATH', path: config.storePath, reason }, 'the tag store could not be opened; starting without it (not ready)');
    return new UnavailableExclusionStore(reason);
  }
  const problem = await store.checkHealth?.();
  if (problem !== undefined) {
    log.error(
      { event: 'store-unhealthy', setting: 'HUNT_STORE_PATH', path: config.storePath, reason: problem },
      'the tag store failed its integrity check; starting anyway, reported as not ready on /readyz',
    );
  }
  return store;
}

/**
 * Where in-flight markers live. Blob run state is durable and shared, so they go there. Memory run
 * state dies with the process, so markers go to a small journal file in HUNT_CACHE_DIR instead: after
 * a crash the next start finds them and marks those cards interrupted. The file has one writer (a
 * lock with the owner's pid); a second live process on the same folder keeps its markers in memory.
 */
function inflightJournal(stateStore: StateStore, config: AppConfig, log: Logger): { store: StateStore; exclusive: boolean; release(): void } {
  const inMemory = { store: stateStore, exclusive: false, release: () => undefined };
  if (stateStore.name !== 'memory') return inMemory;
  try {
    const lock = ProcessLock.acquire(path.join(config.cacheDir, 'inflight.lock'));
    if (!lock) {
      log.warn({ event: 'inflight-journal-busy', setting: 'HUNT_CACHE_DIR' }, 'another bot process uses this cache folder: running hunts are not journalled');
      return inMemory;
    }
    return { store: new FileStateStore(path.join(config.cacheDir, 'inflight-journal.json')), exclusive: true, release: () => lock.release() };
  } catch (error) {
    log.warn({ event: 'inflight-journal-unavailable', setting: 'HUNT_CACHE_DIR', err: error }, 'cannot keep the in-flight journal: running hunts are not journalled');
    return inMemory;
  }
}

/** Portal links only make sense for real data: local sample devices have no Defender page. */
function portalContext(config: AppConfig) {
  if (config.backend === 'local') return undefined;
  // A Defender hunt reads no workspace, so it gets device and advanced-hunting links but none into Sentinel Logs.
  const ws = config.backend === 'loganalytics' ? config.watchlist : undefined;
  return {
    cloud: config.azure.cloud,
    workspaceResourceId: ws
      ? `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}`
      : undefined,
  };
}

/**
 * On SIGTERM (App Service, containers) or SIGINT (Ctrl+C): say so, finish running hunts, close, say that too, exit.
 * The handlers are installed before the app starts: a signal that arrives between the "started" line and the
 * app being handed back would otherwise meet Node's default action and end the process without either line.
 * A signal during start-up is kept and acted on once the app is up; a second one ends the process at once.
 */
function stopOnSignals(): (app: RunningApp) => void {
  let app: RunningApp | undefined;
  let pending: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (!app) {
      pending = signal;
      return;
    }
    const running = app;
    const started = Date.now();
    running.logger.info({ event: 'stopping', signal, runningHunts: running.runs.inFlight }, `${signal}: stopping (running hunts and card presses finish first)`);
    running.close().then(
      () => {
        running.logger.info({ event: 'stopped', signal, durationMs: Date.now() - started }, 'Hunt bot stopped');
        exitAfterLogs(running.logger, 0);
      },
      (error: unknown) => {
        running.logger.error({ event: 'stop-failed', signal, err: error }, 'Hunt bot did not stop cleanly');
        exitAfterLogs(running.logger, 1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return (started) => {
    app = started;
    if (pending) stop(pending);
  };
}

async function main(): Promise<void> {
  const started = stopOnSignals();
  try {
    started(await startApp(process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`huntbot failed to start: ${errorMessage(error)}`);
    }
    process.exit(1);
  }
}

if (require.main === module) void main();
