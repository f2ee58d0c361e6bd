import { dataWarningsFor } from '../data/data-warnings';
import { KqlEngine, KqlQueryError, KqlUnsupportedError, type KqlDatabase } from '../kql';
import { QueryFailure } from '../domain/query-failure';
import { type QueryBackend, type QueryOutcome, type QueryRequest } from './query-backend';

/** Watchlist rows per alias, read fresh for each query (local mode: from the SQLite tag store). */
export type WatchlistSnapshot = () => Promise<Record<string, Array<Record<string, unknown>>>>;

/** Runs hunts with the embedded KQL engine over local telemetry: the no-Azure default. */
export class EmbeddedBackend implements QueryBackend {
  readonly name = 'embedded';
  private readonly engine: KqlEngine;

  constructor(
    private readonly database: KqlDatabase,
    readonly description: string,
    private readonly watchlists: WatchlistSnapshot = async () => ({}),
    private readonly now: () => Date = () => new Date(),
  ) {
    this.engine = new KqlEngine(database);
  }

  /** What loading the data noted (renamed files, dropped lines), for the start-up log. */
  dataNotes(): readonly string[] {
    return this.database.notes;
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The hunt was cancelled before it started.');
    const watchlists = await this.watchlists();
    const started = performance.now();
    try {
      const { result, tables } = this.engine.queryWithTables(request.kql, { now: this.now(), watchlists });
      const dataWarnings = dataWarningsFor(this.database, tables);
      return { result, durationMs: performance.now() - started, ...(dataWarnings.length > 0 ? { dataWarnings } : {}) };
    } catch (error) {
      throw toQueryFailure(error);
    }
  }
}

function toQueryFailure(error: unknown): QueryFailure {
  if (error instanceof KqlQueryError) {
    return new QueryFailure('invalid-query', error.message, { diagnostics: error.diagnostics });
  }
  if (error instanceof KqlUnsupportedError) {
    return new QueryFailure('unsupported', error.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new QueryFailure('internal', `The embedded engine failed: ${message}`);
}
