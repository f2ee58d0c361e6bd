import type { TokenCredential } from '@azure/identity';
import type { Logger } from 'pino';
import { ArmClient } from '../azure/arm-client';
import type { ServiceEndpoint } from '../azure/cloud';
import type { RetryOptions } from '../azure/retry';
import { SqliteAuditLog } from './sqlite-audit-log';
import { openSqliteDatabase } from './sqlite-database';

export type StoreLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Where a Sentinel-backed store writes over ARM: the workspace, the credential and how requests are retried. */
export interface SentinelWorkspaceOptions {
  arm: ServiceEndpoint;
  credential: TokenCredential;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  logger: StoreLogger;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
}

/** An ARM client for the workspace whose retries are logged as `<service> request failed; retrying`. */
export function sentinelArmClient(options: SentinelWorkspaceOptions, apiVersion: string, service: string): ArmClient {
  return new ArmClient({
    service: options.arm,
    credential: options.credential,
    apiVersion,
    retry: options.retry,
    requestTimeoutMs: options.requestTimeoutMs,
    onRetry: ({ attempt, delayMs, method, path }) => options.logger.warn({ attempt, delayMs, method, path }, `${service} request failed; retrying`),
  });
}

/** The ARM path of the workspace's Microsoft.SecurityInsights provider; every name is one encoded path segment. */
export function securityInsightsPath(options: Pick<SentinelWorkspaceOptions, 'subscriptionId' | 'resourceGroup' | 'workspaceName'>): string {
  const segment = encodeURIComponent;
  return (
    `/subscriptions/${segment(options.subscriptionId)}/resourceGroups/${segment(options.resourceGroup)}` +
    `/providers/Microsoft.OperationalInsights/workspaces/${segment(options.workspaceName)}/providers/Microsoft.SecurityInsights`
  );
}

/** The optional local copy of the audit trail, and how to close its database. */
export function openLocalAuditLog(auditPath: string | undefined): { log?: SqliteAuditLog; close?: () => void } {
  if (!auditPath) return {};
  const db = openSqliteDatabase(auditPath);
  return { log: new SqliteAuditLog(db), close: () => db.close() };
}
