import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { sampleDatabase } from '../data/sample-data';
import { DEFENDER_WINDOW_LIMIT, DefenderBackend } from './defender-backend';
import { type LoadReport, loadSharedDatabase } from '../data/data-source';
import { KqlDatabase } from '../kql';
import { EmbeddedBackend, engineLimits, type WatchlistSnapshot } from './embedded-backend';
import { LogAnalyticsBackend, logAnalyticsEndpointOptions } from './log-analytics-backend';
import type { QueryBackend } from './query-backend';
import type { WindowLimit } from '../domain/hunt-request';
import { type ParserChange, WorkerEngineBackend } from './worker-engine-backend';
import type { DataLoadReport } from './shared-data';

/**
 * The backend the configuration asks for: Defender XDR advanced hunting, a Log Analytics workspace, a data folder, or the sample
 * telemetry. With `workers` > 0 the embedded engine runs in worker threads, so evaluating a large
 * hunt never blocks the event loop that answers Teams; 0 keeps it in-process (the CLI). The embedded
 * engine's data (a folder or the sample) is read from its snapshot in HUNT_CACHE_DIR when current;
 * `events.onDataLoaded` is told whether it was, and why not; `events.onParserChange`, what happened
 * to the engine threads' Kusto parser (restarted, given up, cooling down, back).
 */
export function createBackend(
  config: AppConfig,
  credential?: TokenCredential,
  watchlists?: WatchlistSnapshot,
  workers = 0,
  events: { onDataLoaded?: (report: DataLoadReport) => void; onParserChange?: (change: ParserChange) => void } = {},
): QueryBackend {
  const { onDataLoaded } = events;
  if (config.backend === 'defender' && config.defender) {
    return new DefenderBackend({
      credential: credential ?? createCredential(config.identity),
      graph: config.azure.graph,
      timeoutSeconds: config.defender.timeoutSeconds,
    });
  }
  if (config.backend === 'loganalytics' && config.logAnalytics) {
    credential ??= createCredential(config.identity);
    return new LogAnalyticsBackend({
      workspaceId: config.logAnalytics.workspaceId,
      credential,
      serverTimeoutSeconds: config.logAnalytics.serverTimeoutSeconds,
      ...logAnalyticsEndpointOptions(config.azure.logAnalytics),
    });
  }
  const limits = engineLimits(config);
  if (workers > 0) {
    return new WorkerEngineBackend({
      data: config.dataDir ? { dataDir: config.dataDir, cacheDir: config.cacheDir } : { sample: { cacheDir: config.cacheDir } },
      poolSize: workers,
      watchlists,
      description: config.dataDir ? `embedded engine over ${config.dataDir}` : 'embedded engine over generated sample telemetry',
      limits,
      parser: { shapeTemplateBytes: config.engine.parserTemplatesMb * 1_000_000 },
      onDataLoaded,
      onParserChange: events.onParserChange,
    });
  }
  const now = () => new Date();
  const report: LoadReport = { snapshot: 'none' };
  const started = performance.now();
  const loaded = () => onDataLoaded?.({ ...report, loadMs: performance.now() - started });
  if (config.dataDir) {
    // From the folder's snapshot in HUNT_CACHE_DIR when it is current (the CLI's `hunt` starts fast).
    const database = KqlDatabase.fromShared(loadSharedDatabase({ kind: 'folder', dir: config.dataDir, cacheDir: config.cacheDir }, report));
    loaded();
    return new EmbeddedBackend(database, `embedded engine over ${config.dataDir}`, watchlists, now, limits);
  }
  const database = sampleDatabase({ cacheDir: config.cacheDir, report });
  loaded();
  return new EmbeddedBackend(database, 'embedded engine over generated sample telemetry', watchlists, now, limits);
}

/** The configured backend's own look-back limit, known before the backend is built (the CLI resolves the command first). */
export function backendWindowLimit(config: AppConfig): WindowLimit | undefined {
  return config.backend === 'defender' ? DEFENDER_WINDOW_LIMIT : undefined;
}
