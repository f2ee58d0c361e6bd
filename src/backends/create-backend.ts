import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { sampleDatabase } from '../data/sample-data';
import { loadDataFolder } from '../data/jsonl';
import { EmbeddedBackend, type EngineLimits, type WatchlistSnapshot } from './embedded-backend';
import { LogAnalyticsBackend, logAnalyticsEndpointOptions } from './log-analytics-backend';
import type { QueryBackend } from './query-backend';
import { WorkerEngineBackend } from './worker-engine-backend';

/**
 * The backend the configuration asks for: a Log Analytics workspace, a data folder, or the sample
 * telemetry. With `workers` > 0 the embedded engine runs in worker threads, so evaluating a large
 * hunt never blocks the event loop that answers Teams; 0 keeps it in-process (the CLI).
 */
export function createBackend(config: AppConfig, credential?: TokenCredential, watchlists?: WatchlistSnapshot, workers = 0): QueryBackend {
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
      data: config.dataDir ? { dataDir: config.dataDir } : { sample: {} },
      poolSize: workers,
      watchlists,
      description: config.dataDir ? `embedded engine over ${config.dataDir}` : 'embedded engine over generated sample telemetry',
      limits,
    });
  }
  const now = () => new Date();
  if (config.dataDir) {
    return new EmbeddedBackend(loadDataFolder(config.dataDir), `embedded engine over ${config.dataDir}`, watchlists, now, limits);
  }
  return new EmbeddedBackend(sampleDatabase(), 'embedded engine over generated sample telemetry', watchlists, now, limits);
}

/** The configured limits of one embedded-engine query. */
export function engineLimits(config: AppConfig): EngineLimits {
  return {
    maxRows: config.engine.maxRows,
    timeoutMs: config.engine.timeoutSeconds * 1000,
    memoryMb: config.engine.workerMemoryMb,
    externalDataDir: config.engine.externalDataDir,
  };
}
