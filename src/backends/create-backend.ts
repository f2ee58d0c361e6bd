import { createCredential } from '../azure/credentials';
import type { AppConfig } from '../config/config';
import { sampleDatabase } from '../data/sample-data';
import { loadDataFolder } from '../kql';
import { EmbeddedBackend, type WatchlistSnapshot } from './embedded-backend';
import { LogAnalyticsBackend, logAnalyticsEndpointOptions } from './log-analytics-backend';
import type { QueryBackend } from './query-backend';

/** The backend the configuration asks for: a Log Analytics workspace, a data folder, or the sample telemetry. */
export function createBackend(config: AppConfig, watchlists?: WatchlistSnapshot): QueryBackend {
  if (config.backend === 'loganalytics' && config.logAnalytics) {
    const credential = createCredential({ authorityHost: config.azure.authorityHost, env: config.env });
    return new LogAnalyticsBackend({
      workspaceId: config.logAnalytics.workspaceId,
      credential,
      serverTimeoutSeconds: config.logAnalytics.serverTimeoutSeconds,
      ...logAnalyticsEndpointOptions(config.azure.logAnalytics),
    });
  }
  if (config.dataDir) {
    return new EmbeddedBackend(loadDataFolder(config.dataDir), `embedded engine over ${config.dataDir}`, watchlists);
  }
  return new EmbeddedBackend(sampleDatabase(), 'embedded engine over generated sample telemetry', watchlists);
}
