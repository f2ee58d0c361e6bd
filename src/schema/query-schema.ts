import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import { fetchWorkspaceMetadata } from '../backends/log-analytics-metadata';
import type { AppConfig } from '../config/config';
import { BUNDLED_SCHEMA, type KqlDiagnostic, checkQuery } from '../kql';
import type { Logger } from '../logging/logger';
import { type SchemaStatus, WorkspaceSchemaSource, workspaceSchemaCacheFile } from './workspace-schema-source';

/** The schema hunts are checked against, whichever mode the bot runs in. */
export interface QuerySchema {
  check(kql: string): KqlDiagnostic[];
  /** Changes whenever the schema does (part of the key of remembered verdicts). */
  version(): string;
  describe(): SchemaStatus;
  stop(): void;
}

/** Bounds the metadata read at start: past it the bot starts on the cached or bundled schema. */
const START_READ_TIMEOUT_MS = 20_000;

/**
 * Sentinel mode: the workspace's own schema (read now and hourly, cached in HUNT_CACHE_DIR).
 * Local mode: the bundled schema (schemas/*.json).
 */
export async function startQuerySchema(config: AppConfig, log: Logger, credential?: TokenCredential): Promise<QuerySchema> {
  if (config.backend !== 'loganalytics' || !config.logAnalytics) return bundledQuerySchema();
  const { workspaceId } = config.logAnalytics;
  const identity = credential ?? createCredential(config.identity);
  const source = new WorkspaceSchemaSource({
    read: () => fetchWorkspaceMetadata({ workspaceId, credential: identity, service: config.azure.logAnalytics, timeoutMs: START_READ_TIMEOUT_MS }),
    cacheFile: workspaceSchemaCacheFile(config.cacheDir, workspaceId),
    logger: log,
  });
  await source.start();
  return source;
}

export function bundledQuerySchema(): QuerySchema {
  return {
    check: checkQuery,
    version: () => '',
    describe: () => ({ origin: 'bundled', tables: BUNDLED_SCHEMA.tables.length, functions: BUNDLED_SCHEMA.functions.length }),
    stop: () => undefined,
  };
}
