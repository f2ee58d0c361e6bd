import type { QueryResult } from '../kql/types';

/** The time window a hunt covers; always passed both in the KQL and (for Log Analytics) as the API timespan. */
export interface QueryWindow {
  start: Date;
  end: Date;
}

export interface QueryRequest {
  /** The exact KQL to run (already rendered with typed parameter literals). */
  kql: string;
  window: QueryWindow;
  /** Cancels the query when aborted (a user's `cancel`, a shutdown). */
  signal?: AbortSignal;
  /** Correlates log lines of one hunt run across components. */
  correlationId?: string;
}

export interface QueryOutcome {
  result: QueryResult;
  /** Set when the backend returned rows but also an error (Log Analytics PartialFailure). */
  partialError?: { code: string; message: string };
  /** Milliseconds the backend spent, as measured by the caller of the backend. */
  durationMs: number;
}

/**
 * Why a query failed, in terms a responder can act on. `kind` drives the error card's advice.
 */
export type QueryFailureKind =
  | 'invalid-query' // syntax or semantic error (never sent on)
  | 'unauthorized' // 401 / credential missing
  | 'forbidden' // 403: the identity lacks a role on the workspace
  | 'throttled' // 429
  | 'timeout' // 504 or our own deadline
  | 'unavailable' // 5xx, network error
  | 'cancelled'
  | 'unsupported' // a construct the embedded engine does not evaluate
  | 'too-large' // the embedded engine's row budget or memory ceiling stopped it
  | 'internal';

export class QueryFailure extends Error {
  constructor(
    readonly kind: QueryFailureKind,
    message: string,
    readonly details: { statusCode?: number; code?: string; retryAfterMs?: number; diagnostics?: unknown[] } = {},
  ) {
    super(message);
    this.name = 'QueryFailure';
  }
}

/** A place hunts run: the embedded engine or a Log Analytics workspace. */
export interface QueryBackend {
  /** Short name shown on cards and in /healthz, e.g. "embedded" or "loganalytics". */
  readonly name: string;
  /** Human description, e.g. "embedded engine over generated sample telemetry". */
  readonly description: string;
  /** Runs a query; rejects with QueryFailure. */
  run(request: QueryRequest): Promise<QueryOutcome>;
  /** Resolves when the backend can take queries (e.g. worker threads have loaded their data). */
  ready?(): Promise<void>;
  /** Releases sockets, workers, files. */
  close?(): Promise<void>;
}
