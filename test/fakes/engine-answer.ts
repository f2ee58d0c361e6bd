import { KqlDatabase, KqlEngine, KqlQueryError } from '../../src/kql';
import { QueryRejected, type QueryAnswer } from './query-answer';

/** Telemetry the fake workspace holds, and what `_GetWatchlist` returns there. */
export interface EngineDataset {
  /** Table name → rows, e.g. { DeviceFileCertificateInfo: [...] } (typed by src/kql/schema.ts). */
  tables?: Record<string, Array<Record<string, unknown>>>;
  /** Read per query, so watchlist writes show up on the next query (e.g. FakeWatchlistServer.watchlistSnapshot). */
  watchlists?: () => Record<string, Array<Record<string, unknown>>>;
  /** What now()/ago() mean; default the wall clock, as in the service. */
  now?: () => Date;
}

/**
 * Answers queries by really evaluating them with the embedded KQL engine. Syntax and semantic
 * errors become the service's 400; constructs the engine cannot evaluate are the fake's limit, not
 * the query's fault, so they surface as a 500 naming the construct rather than as invalid-query.
 * The API timespan is recorded but not applied: hunts carry their own time filter.
 */
export function engineAnswer(dataset: EngineDataset = {}): QueryAnswer {
  let engine: KqlEngine | undefined;
  return ({ query }) => {
    // Built on first use: the parser's load cost is paid only by tests that query.
    engine ??= new KqlEngine(KqlDatabase.fromRows(dataset.tables ?? {}));
    try {
      return engine.query(query, { now: dataset.now?.(), watchlists: dataset.watchlists?.() ?? {} });
    } catch (error) {
      if (error instanceof KqlQueryError) throw new QueryRejected(error.message, 'SemanticError');
      throw error;
    }
  };
}
