import { dataWarningsFor } from '../data/data-warnings';
import { KqlEngine, KqlLimitError, KqlQueryError, KqlUnsupportedError, type KqlDatabase, type QueryLimits, type QueryOptions, type QueryResult } from '../kql';
import type { QueryAnalysis } from '../kql/parser/analyzer';
import { QueryFailure } from '../domain/query-failure';
import { type QueryBackend, type QueryOutcome, type QueryRequest } from './query-backend';
import { errorMessage } from '../util/error-message';
import type { AppConfig } from '../config/config';

/** Watchlist rows per alias, read fresh for each query (local mode: from the SQLite tag store). */
export type WatchlistSnapshot = () => Promise<Record<string, Array<Record<string, unknown>>>>;

/** What one query may use in the embedded engine; each limit is off when unset. */
export interface EngineLimits {
  /** Rows one materializing operator may produce (HUNT_ENGINE_MAX_ROWS). */
  maxRows?: number;
  /** Milliseconds one query may run (HUNT_QUERY_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  /** Memory the evaluating thread may hold, heap plus buffers (HUNT_ENGINE_WORKER_MEMORY_MB). */
  memoryMb?: number;
  /** Not a limit but travels with them to the workers: where externaldata URLs resolve (HUNT_EXTERNALDATA_DIR). */
  externalDataDir?: string;
}

/** Runs hunts with the embedded KQL engine over local telemetry: the no-Azure default. */
export class EmbeddedBackend implements QueryBackend {
  readonly name = 'embedded';
  private readonly engine: KqlEngine;

  constructor(
    private readonly database: KqlDatabase,
    readonly description: string,
    private readonly watchlists: WatchlistSnapshot = async () => ({}),
    private readonly now: () => Date = () => new Date(),
    private readonly limits: EngineLimits = {},
  ) {
    this.engine = new KqlEngine(database);
  }

  /** What loading the data noted (renamed files, dropped lines), for the start-up log. */
  dataNotes(): readonly string[] {
    return this.database.notes;
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    return this.execute(request, (options) => this.engine.queryWithTables(request.kql, options));
  }

  /**
   * Like run(), for a query already parsed and analysed elsewhere (analyzerFor this database's
   * extra schemas; the worker pool's parser process): this thread never loads the parser.
   * `startedAt` is when the query's time limit starts counting.
   */
  async runAnalysis(analysis: QueryAnalysis, request: QueryRequest, startedAt?: number): Promise<QueryOutcome> {
    return this.execute(request, (options) => this.engine.evaluate(analysis, options, startedAt));
  }

  private async execute(request: QueryRequest, evaluate: (options: QueryOptions) => { result: QueryResult; tables: string[] }): Promise<QueryOutcome> {
    if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The hunt was cancelled before it started.');
    const watchlists = await this.watchlists();
    const started = performance.now();
    try {
      const { result, tables } = evaluate({ now: this.now(), watchlists, limits: queryLimits(this.limits, request.signal), externalDataDir: this.limits.externalDataDir });
      const dataWarnings = dataWarningsFor(this.database, tables);
      return { result, durationMs: performance.now() - started, ...(dataWarnings.length > 0 ? { dataWarnings } : {}) };
    } catch (error) {
      throw toQueryFailure(error, this.limits);
    }
  }
}

/**
 * The configured limits of one embedded-engine query. Here rather than with createBackend so the CLI's
 * `query` does not load every backend's dependencies (Azure's SDK) before it starts loading the data.
 */
export function engineLimits(config: AppConfig): EngineLimits {
  return {
    maxRows: config.engine.maxRows,
    timeoutMs: config.engine.timeoutSeconds * 1000,
    memoryMb: config.engine.workerMemoryMb,
    externalDataDir: config.engine.externalDataDir,
  };
}

/** The engine's limits for one query under these settings. */
export function queryLimits(limits: EngineLimits, signal?: AbortSignal): QueryLimits {
  return { maxRows: limits.maxRows, timeoutMs: limits.timeoutMs, maxMemoryMb: limits.memoryMb, signal };
}

/** The timeout failure, in the same words whether the engine or the worker pool noticed it. */
export function timeoutFailure(timeoutMs: number, workerReplaced: boolean): QueryFailure {
  const limit = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  const ending = workerReplaced ? '; the engine worker evaluating it was stopped and replaced.' : ', so it was stopped.';
  return new QueryFailure('timeout', `The query ran longer than the ${limit} the embedded engine allows (HUNT_QUERY_TIMEOUT_SECONDS)${ending}`);
}

/** What a responder (or a CLI user) is told when one of the engine's limits stopped a query. */
export function limitFailure(error: KqlLimitError, limits: EngineLimits): QueryFailure {
  const sentence = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  switch (error.limit) {
    case 'rows':
      return new QueryFailure('too-large', `${sentence} (HUNT_ENGINE_MAX_ROWS), so the query was stopped.`);
    case 'memory':
      // The setting is named only where it decided: no setting gives a thread more than the machine has.
      return new QueryFailure('too-large', `${sentence}${error.bySetting ? ' (HUNT_ENGINE_WORKER_MEMORY_MB)' : ''}, so it was stopped.`);
    case 'time':
      return timeoutFailure(limits.timeoutMs ?? 0, false);
    case 'cancelled':
      return new QueryFailure('cancelled', 'The hunt was cancelled; the embedded engine stopped evaluating it.');
  }
}

function toQueryFailure(error: unknown, limits: EngineLimits): QueryFailure {
  if (error instanceof KqlLimitError) return limitFailure(error, limits);
  if (error instanceof KqlQueryError) {
    return new QueryFailure('invalid-query', error.message, { diagnostics: error.diagnostics });
  }
  if (error instanceof KqlUnsupportedError) {
    return new QueryFailure('unsupported', error.message);
  }
  const message = errorMessage(error);
  return new QueryFailure('internal', `The embedded engine failed: ${message}`);
}
