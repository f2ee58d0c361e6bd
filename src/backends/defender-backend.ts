import type { TokenCredential } from '@azure/identity';
import { readAzureCloudSettings, type ServiceEndpoint } from '../azure/cloud';
import { withDeadline } from '../azure/deadline';
import { DEFAULT_RETRY_OPTIONS, retryWithBackoff, type RetryDecision, type RetryOptions } from '../azure/retry';
import { parseRetryAfterMs } from '../azure/retry-after';
import { guardCredential } from '../azure/token-guard';
import type { WindowLimit } from '../domain/hunt-request';
import { QueryFailure } from '../domain/query-failure';
import { toDefenderFailure } from './defender-failures';
import { GraphHttpError, GraphHuntingClient } from './graph-hunting-client';
import { huntingResultsToQueryResult } from './graph-hunting-results';
import type { QueryBackend, QueryOutcome, QueryRequest } from './query-backend';

const DAY_MS = 86_400_000;

/** Advanced hunting holds the last 30 days; the API refuses to look further back. */
export const DEFENDER_WINDOW_LIMIT: Readonly<WindowLimit> = {
  maxMs: 30 * DAY_MS,
  reason: 'Defender XDR advanced hunting keeps 30 days of data.',
};

/** Rows one answer may hold (Defender advanced-hunting quotas); a result that reaches it may be cut off. */
export const DEFENDER_MAX_ROWS = 100_000;

export interface DefenderBackendOptions {
  credential: TokenCredential;
  /** Graph root and token scope, from readAzureCloudSettings(env).settings.graph; default the public cloud's. */
  graph?: ServiceEndpoint;
  /** Our deadline per attempt (HUNT_QUERY_TIMEOUT_SECONDS). Default 120. */
  timeoutSeconds?: number;
  /** Retries of throttled (429) queries; other failures are not retried. */
  retry?: Partial<RetryOptions>;
  /** Rows at which the answer is taken as cut off by the service. Default DEFENDER_MAX_ROWS. */
  maxRows?: number;
}

const PUBLIC_GRAPH: Readonly<ServiceEndpoint> = readAzureCloudSettings({}).settings.graph;

/** Only throttling is retried, as for Log Analytics: a failing hunt is not re-run against a tenant's CPU quota. */
function retryThrottled(error: unknown): RetryDecision {
  if (error instanceof GraphHttpError && error.status === 429) return { retry: true, retryAfterMs: parseRetryAfterMs(error.headers) };
  return { retry: false };
}

function secondsText(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/**
 * Runs hunts through Microsoft Graph `POST /v1.0/security/runHuntingQuery` (Defender XDR advanced
 * hunting; application permission ThreatHunting.Read.All). The hunt window goes as the documented
 * `Timespan` interval as well as in the KQL, never longer than the 30 days Defender keeps.
 */
export class DefenderBackend implements QueryBackend {
  readonly name = 'defender';
  readonly meteredCalls = true;
  readonly description: string;
  readonly windowLimit: WindowLimit = DEFENDER_WINDOW_LIMIT;
  private readonly client: GraphHuntingClient;
  private readonly endpoint: string;
  private readonly timeoutSeconds: number;
  private readonly retry: RetryOptions;
  private readonly maxRows: number;

  constructor(options: DefenderBackendOptions) {
    const graph = options.graph ?? PUBLIC_GRAPH;
    const timeoutSeconds = options.timeoutSeconds ?? 120;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 600) {
      throw new Error(`timeoutSeconds must be a whole number from 1 to 600 (got ${timeoutSeconds})`);
    }
    this.endpoint = graph.endpoint;
    this.timeoutSeconds = timeoutSeconds;
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.maxRows = options.maxRows ?? DEFENDER_MAX_ROWS;
    this.description = `Defender XDR advanced hunting via Microsoft Graph (${new URL(graph.endpoint).host})`;
    this.client = new GraphHuntingClient(graph, guardCredential(options.credential));
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    const started = performance.now();
    if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The query was cancelled.');
    const notes: string[] = [];
    const { start, end } = this.lookBack(request, notes);
    let attempts = 0;
    let body: unknown;
    try {
      body = await retryWithBackoff(
        (attempt) => {
          attempts = attempt;
          return withDeadline(this.timeoutSeconds * 1000, request.signal, (abortSignal) =>
            this.client.run(
              { Query: request.kql, Timespan: `${start.toISOString()}/${end.toISOString()}` },
              { abortSignal, clientRequestId: request.correlationId },
            ),
          );
        },
        retryThrottled,
        this.retry,
        {
          signal: request.signal,
          onRetry: ({ attempt, delayMs }) =>
            notes.push(`${attempt === 1 ? 'Defender XDR throttled the query (429)' : 'Defender XDR throttled the query again (429)'}; the bot waited ${secondsText(delayMs)} and retried.`),
        },
      );
    } catch (error) {
      throw toDefenderFailure(error, { endpoint: this.endpoint, timeoutSeconds: this.timeoutSeconds, attempts });
    }
    let result;
    try {
      result = huntingResultsToQueryResult(body);
    } catch (error) {
      throw toDefenderFailure(error, { endpoint: this.endpoint, timeoutSeconds: this.timeoutSeconds, attempts });
    }
    if (result.rows.length >= this.maxRows) {
      notes.push(
        `Defender XDR returns at most ${this.maxRows.toLocaleString('en-US')} rows and this query reached that: rows may be missing. Narrow the window or the hunt.`,
      );
    }
    return { result, durationMs: Math.round(performance.now() - started), ...(notes.length > 0 ? { notes } : {}) };
  }

  /** The window, shortened to the last 30 days of it if a caller asked for more (the command caps first). */
  private lookBack(request: QueryRequest, notes: string[]): { start: Date; end: Date } {
    const { start, end } = request.window;
    if (end.getTime() - start.getTime() <= this.windowLimit.maxMs) return { start, end };
    const capped = new Date(end.getTime() - this.windowLimit.maxMs);
    notes.push(`${this.windowLimit.reason} The query looked at ${capped.toISOString()} → ${end.toISOString()} only.`);
    return { start: capped, end };
  }
}
