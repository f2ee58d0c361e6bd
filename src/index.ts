import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { createBackend } from './backends/create-backend';
import { createStateStore } from './bot/blob-state-store';
import { createBotAdapter, createPromptState } from './bot/bot-runtime';
import { HuntBot } from './bot/hunt-bot';
import { ProactiveCardPublisher } from './bot/proactive-card-publisher';
import { createHttpServer, listen } from './bot/server';
import { CardActionRouter } from './actions/card-action-router';
import { registerResultActions } from './actions/tag-actions';
import { createCredential } from './azure/credentials';
import { AuthorizationPolicy } from './auth/authorization-policy';
import { CommandRegistry } from './commands/command-registry';
import { exclusionsCommand, untagCommand } from './commands/exclusions-command';
import { helpCommand } from './commands/help-command';
import { huntCommand } from './commands/hunt-command';
import { huntsCommand } from './commands/hunts-command';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import type { Env } from './config/env';
import { HuntCatalog } from './hunts/catalog';
import { QueryCheckCache } from './hunts/query-check-cache';
import { checkQuery, warmUpKql } from './kql';
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
import type { ExclusionStore } from './stores/exclusion-store';
import { createExclusionStore } from './stores';
import { exclusionToWatchlistRow } from './stores/watchlist-rows';
import { TagService } from './tags/tag-service';

/** Card updates sent to the Bot Framework connector at once. */
const CONNECTOR_CALLS_AT_ONCE = 8;

/** Room in memory run state for what is not a run (in-flight index, instance heartbeats). */
const STATE_KEYS_BESIDES_RUNS = 1000;

export interface RunningApp {
  url: string;
  config: AppConfig;
  runs: RunService;
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
  const state = createStateStore(config.env, { memoryCapacity: config.fairness.maxRetainedRuns + STATE_KEYS_BESIDES_RUNS });

  await warmUpKql();
  const store = createStore(config, log, overrides.credential);
  const runRegistry = new RunRegistry(
    state.store,
    new RunRetention({ capacity: state.store.name === 'memory' ? config.fairness.maxRetainedRuns : undefined }),
  );
  const tags = new TagService(store, runRegistry, log);
  const backend = createBackend(
    config,
    overrides.credential,
    async () => ({ [config.watchlistAlias]: (await store.list()).map((exclusion) => exclusionToWatchlistRow(exclusion)) }),
    config.load.engineWorkers,
  );
  await backend.ready?.();

  const checks = new QueryCheckCache(path.join(config.cacheDir, 'kql-checks.json'), checkQuery);
  const { catalog, problems } = HuntCatalog.load({ env: config.env, checkQuery: checks.check });
  checks.flush();
  for (const problem of problems) log.warn({ event: 'hunt-file-rejected', path: problem.path, reason: problem.reason }, 'hunt file skipped');

  const policy = new AuthorizationPolicy(config.authorization, log);
  const registry = new CommandRegistry(policy);
  registry
    .register(huntCommand(catalog))
    .register(huntsCommand(catalog))
    .register(exclusionsCommand(catalog, tags))
    .register(untagCommand(catalog, tags))
    .register(helpCommand(() => registry.specs()));
  const actions = new CardActionRouter();
  registerResultActions(actions, tags, runRegistry, policy);

  const adapter = createBotAdapter(config.env, log);

  const runner = new HuntRunner({
    backend,
    checkQuery,
    activeTags: (huntKey) => tags.activeTags(huntKey),
    // The embedded engine serves the tag store as _GetWatchlist; a workspace has it only when tags are stored there.
    watchlistAlias: config.backend === 'local' || config.watchlist ? config.watchlistAlias : undefined,
    portal: portalContext(config),
  });
  // Card updates share a few connector calls at a time, so a burst of hunts cannot exhaust sockets.
  const publisher = new BoundedCardPublisher(new ProactiveCardPublisher(adapter, config.bot.appId), CONNECTOR_CALLS_AT_ONCE);
  const inflight = new InflightTracker(state.store, runRegistry, publisher, log);
  await inflight.start();
  const runs = new RunService(runner, runRegistry, publisher, log, backend.name, {
    inflight,
    scheduler: new QueryScheduler({ maxConcurrent: config.load.maxConcurrentQueries, maxPerUser: config.load.maxQueriesPerUser }),
    flights: new SingleFlight({ ttlMs: config.load.resultTtlSeconds * 1000 }),
    maxQueuedPerUser: config.fairness.maxQueuedPerUser,
  });
  registerRunActions(actions, runs, runRegistry, registry);
  const bot = new HuntBot({
    registry,
    catalog,
    runs,
    actions,
    rateLimit: new MessageRateLimit({ perMinute: config.fairness.messagesPerMinute, burst: config.fairness.messageBurst }),
    lookUpUpn: policy.needsUpn,
    promptState: createPromptState(),
    logger: log,
  });

  const server = createHttpServer({
    adapter,
    bot,
    logger: log,
    health: () => ({
      status: 'ok',
      backend: backend.name,
      backendDescription: backend.description,
      hunts: catalog.size,
      ...runs.stats(),
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
    close: async () => {
      inflight.stop();
      server.close();
      await runs.idle();
      await backend.close?.();
      await store.close?.();
    },
  };
}

function createStore(config: AppConfig, log: Logger, credential?: TokenCredential): ExclusionStore {
  return createExclusionStore({
    storePath: config.storePath,
    watchlist: config.watchlist,
    watchlistAlias: config.watchlistAlias,
    arm: config.azure.arm,
    credential: config.watchlist ? (credential ?? createCredential({ authorityHost: config.azure.authorityHost, env: config.env })) : undefined,
    logger: log,
  });
}

/** Portal links only make sense for a real workspace: local sample devices have no Defender page. */
function portalContext(config: AppConfig) {
  if (config.backend !== 'loganalytics') return undefined;
  const ws = config.watchlist;
  return {
    cloud: config.azure.cloud,
    workspaceResourceId: ws
      ? `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}`
      : undefined,
  };
}

async function main(): Promise<void> {
  try {
    const app = await startApp(process.env);
    const stop = () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error(`huntbot failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exit(1);
  }
}

if (require.main === module) void main();
