import { isRestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { LogsQueryClient, LogsQueryResult } from '@azure/monitor-query-logs';
import { readAzureCloudSettings, type ServiceEndpoint } from '../azure/cloud';
import { withDeadline } from '../azure/deadline';
import { DEFAULT_RETRY_OPTIONS, retryWithBackoff, type RetryDecision, type RetryOptions } from '../azure/retry';
import { parseRetryAfterMs } from '../azure/retry-after';
import { guardCredential } from '../azure/token-guard';
import { runWithAbortSignal } from './caller-abort-signal-policy';
import { createLogsQueryClient } from './log-analytics-client';
import { toQueryFailure } from './log-analytics-failures';
import { logsTablesToQueryResult } from './log-analytics-tables';
import { QueryFailure } from '../domain/query-failure';
import { type QueryBackend, type QueryOutcome, type QueryRequest } from './query-backend';

export interface LogAnalyticsBackendOptions {
  /** The workspace (customer) ID, a GUID. */
  workspaceId: string;
  credential: TokenCredential;
  /** Query endpoint including `/v1`; default the public cloud's. */
  endpoint?: string;
  /** Token scopes; default the public cloud's. Sovereign clouds need theirs (the SDK ignores `audience`). */
  scopes?: string[];
  /** Sent as `Prefer: wait=N`; the service stops the query and answers 504 after it. Default 120, max 600. */
  serverTimeoutSeconds?: number;
  /** Our own deadline per attempt, for a connection that hangs. Default: server timeout + 30 s. */
  clientTimeoutMs?: number;
  /** Only for a plain-http loopback emulator. */
  insecureLocalEndpoint?: boolean;
  /** Retries of throttled (429) queries; other failures are not retried. */
  retry?: Partial<RetryOptions>;
}

/** Public-cloud defaults, from the same table as AZURE_CLOUD. */
const PUBLIC_LOG_ANALYTICS: Readonly<ServiceEndpoint> = readAzureCloudSettings({}).settings.logAnalytics;

/** The endpoint part of the options from readAzureCloudSettings(env).settings.logAnalytics. */
export function logAnalyticsEndpointOptions(
  service: ServiceEndpoint,
): Pick<LogAnalyticsBackendOptions, 'endpoint' | 'scopes' | 'insecureLocalEndpoint'> {
  return { endpoint: service.endpoint, scopes: [service.scope], insecureLocalEndpoint: service.insecureLocalEndpoint };
}

/**
 * Only throttling is worth an automatic retry: a 5xx or a 504 usually means the query itself is too
 * heavy, and the responder decides whether to narrow it.
 */
function retryThrottled(error: unknown): RetryDecision {
  if (isRestError(error) && error.statusCode === 429) {
    return { retry: true, retryAfterMs: parseRetryAfterMs(error.response?.headers) };
  }
  return { retry: false };
}

/** Runs hunts against a Log Analytics (Sentinel) workspace through @azure/monitor-query-logs. */
export class LogAnalyticsBackend implements QueryBackend {
  readonly name = 'loganalytics';
  readonly meteredCalls = true;
  readonly description: string;
  private readonly client: LogsQueryClient;
  private readonly workspaceId: string;
  private readonly endpoint: string;
  private readonly serverTimeoutSeconds: number;
  private readonly clientTimeoutMs: number;
  private readonly retry: RetryOptions;

  constructor(options: LogAnalyticsBackendOptions) {
    if (!options.workspaceId.trim()) throw new Error('LogAnalyticsBackend needs a workspaceId');
    const serverTimeoutSeconds = options.serverTimeoutSeconds ?? 120;
    if (!Number.isInteger(serverTimeoutSeconds) || serverTimeoutSeconds < 1 || serverTimeoutSeconds > 600) {
      throw new Error(`serverTimeoutSeconds must be a whole number from 1 to 600 (got ${serverTimeoutSeconds})`);
    }
    this.workspaceId = options.workspaceId.trim();
    this.endpoint = options.endpoint ?? PUBLIC_LOG_ANALYTICS.endpoint;
    this.serverTimeoutSeconds = serverTimeoutSeconds;
    this.clientTimeoutMs = options.clientTimeoutMs ?? (serverTimeoutSeconds + 30) * 1000;
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.description = `Log Analytics workspace ${this.workspaceId} (${new URL(this.endpoint).host})`;
    this.client = createLogsQueryClient(guardCredential(options.credential), {
      endpoint: this.endpoint,
      scopes: options.scopes ?? [PUBLIC_LOG_ANALYTICS.scope],
      insecureLocalEndpoint: options.insecureLocalEndpoint ?? false,
    });
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    const started = performance.now();
    if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The query was cancelled.');
    let attempts = 0;
    let result: LogsQueryResult;
    try {
      result = await retryWithBackoff(
        (attempt) => {
          attempts = attempt;
          return withDeadline(this.clientTimeoutMs, request.signal, (abortSignal) => this.send(request, abortSignal));
        },
        retryThrottled,
        this.retry,
        { signal: request.signal },
      );
    } catch (error) {
      throw toQueryFailure(error, {
        workspaceId: this.workspaceId,
        endpoint: this.endpoint,
        serverTimeoutSeconds: this.serverTimeoutSeconds,
        attempts,
      });
    }
    const durationMs = Math.round(performance.now() - started);
    if (result.status === 'PartialFailure') {
      return {
        result: logsTablesToQueryResult(result.partialTables),
        partialError: { code: result.partialError.code ?? 'PartialError', message: result.partialError.message ?? '' },
        durationMs,
      };
    }
    return { result: logsTablesToQueryResult(result.tables), durationMs };
  }

  private send(request: QueryRequest, abortSignal: AbortSignal): Promise<LogsQueryResult> {
    // The window goes to the API as the timespan too, so the service scans only that range even
    // when the KQL's own time filter is written loosely.
    return runWithAbortSignal(abortSignal, () =>
      this.client.queryWorkspace(
        this.workspaceId,
        request.kql,
        { startTime: request.window.start, endTime: request.window.end },
        {
          serverTimeoutInSeconds: this.serverTimeoutSeconds,
          abortSignal,
          requestOptions: request.correlationId ? { headers: { 'x-ms-client-request-id': request.correlationId } } : undefined,
        },
      ),
    );
  }
}
