import type { QueryWindow, WindowLimit } from '../domain/hunt-request';
import type { DataWarning } from '../domain/data-warning';
import type { KqlQuestions } from '../kql/questions';
import type { QueryResult } from '../kql/types';

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
  /** Tables the query read that hold no data, or rows of them no hunt can see (embedded engine). */
  dataWarnings?: DataWarning[];
  /** What the responder should know about how the answer came (throttled and retried, rows cut off by the service). */
  notes?: string[];
}

/** A place hunts run: the embedded engine, a Log Analytics workspace or Defender XDR advanced hunting. */
export interface QueryBackend {
  /** Short name shown on cards and in /healthz, e.g. "embedded" or "loganalytics". */
  readonly name: string;
  /** Human description, e.g. "embedded engine over generated sample telemetry". */
  readonly description: string;
  /** The longest window the backend holds data for, when it is shorter than what hunts may ask (Defender: 30 days). */
  readonly windowLimit?: WindowLimit;
  /**
   * Each query is an API call the service meters (Log Analytics: 200 a user per 30 s; Defender XDR: 45 a
   * minute per tenant), so many small queries are sent as a few combined ones.
   */
  readonly meteredCalls?: boolean;
  /**
   * The backend's own Kusto parser, when it loads one anyway (the worker engine's parser process): the
   * bot's checks go there instead of loading a second parser in the main thread.
   */
  readonly kqlQuestions?: KqlQuestions;
  /** Runs a query; rejects with QueryFailure. */
  run(request: QueryRequest): Promise<QueryOutcome>;
  /** Resolves when the backend can take queries (e.g. worker threads have loaded their data): start-up waits for it. */
  ready?(): Promise<void>;
  /** For readiness probes after start: resolves when the backend can take queries now, else rejects saying why not. */
  available?(): Promise<void>;
  /** What loading local data noted (renamed files, dropped lines, empty folder); read after ready(). */
  dataNotes?(): readonly string[];
  /** Releases sockets, workers, files. */
  close?(): Promise<void>;
}
