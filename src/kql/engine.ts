import type { KqlDatabase } from './database';
import { KqlLimitError, KqlQueryError, KqlRuntimeError, KqlUnsupportedError } from './errors';
import type { QueryLimits } from './eval/budget';
import { QueryContext } from './eval/context';
import { evaluateQuery, toQueryResult } from './eval/query';
import { refuseUnsupported } from './eval/support-check';
import { evaluateTabular } from './eval/tabular';
import { type AnalyzedQuery, analyzedQueryOf, KqlAnalyzer, type QueryAnalysis } from './parser/analyzer';
import { catalogOf } from './parser/catalog';
import { referencedTables } from './referenced-tables';
import type { TableSchema } from './schema';
import type { QueryResult } from './types';
import { ticksFromDate } from './values/time';

export interface QueryOptions {
  /** The instant now()/ago() mean for this query (default: the wall clock at the call). */
  now?: Date;
  /** Rows `_GetWatchlist(alias)` returns, per alias, for this query only. */
  watchlists?: Record<string, Array<Record<string, unknown>>>;
  /** Rows, time and memory this query may use (default: none); the time counts from this call. */
  limits?: QueryLimits;
  /** The folder where externaldata URLs resolve to local files (manifest.json: URL -> file). */
  externalDataDir?: string;
}

/** Parses and analyses queries the way a KqlEngine over a database with these tables does (see KqlEngine.evaluate). */
export function analyzerFor(extraSchemas: readonly TableSchema[]): KqlAnalyzer {
  return new KqlAnalyzer(catalogOf(undefined, extraSchemas));
}

/**
 * Runs KQL over a KqlDatabase. Every query is parsed and analysed by the official parser first;
 * a query with errors is never evaluated. Evaluation is synchronous. The parser is loaded on the
 * first query(), never by evaluate(): a thread that only evaluates analyses made elsewhere
 * (analyzerFor) never loads it.
 */
export class KqlEngine {
  private readonly analyzer: KqlAnalyzer;

  constructor(private readonly db: KqlDatabase) {
    this.analyzer = analyzerFor(db.extraSchemas());
  }

  /**
   * @throws KqlQueryError for syntax/semantic errors, KqlUnsupportedError for constructs the engine
   *   does not evaluate, KqlLimitError when a limit stopped it, KqlRuntimeError for anything else
   *   that goes wrong while evaluating.
   */
  query(kql: string, options: QueryOptions = {}): QueryResult {
    return this.queryWithTables(kql, options).result;
  }

  /** Like query(), and names the tables the query reads, so a caller can say which of them hold no data. */
  queryWithTables(kql: string, options: QueryOptions = {}): { result: QueryResult; tables: string[] } {
    const started = performance.now();
    return this.evaluateAnalyzed(this.analyzer.analyze(kql), options, started);
  }

  /**
   * Evaluates a query analysed by analyzerFor(this database's extraSchemas()), possibly in another
   * thread. `startedAt` (performance.now() of this thread) is when the query's time limit starts
   * counting (default: now). Throws like queryWithTables.
   */
  evaluate(analysis: QueryAnalysis, options: QueryOptions = {}, startedAt = performance.now()): { result: QueryResult; tables: string[] } {
    return this.evaluateAnalyzed(analyzedQueryOf(analysis), options, startedAt);
  }

  private evaluateAnalyzed(analyzed: AnalyzedQuery, options: QueryOptions, started: number): { result: QueryResult; tables: string[] } {
    const kql = analyzed.text;
    const errors = analyzed.diagnostics.filter((d) => d.severity === 'Error');
    if (errors.length > 0) throw new KqlQueryError(errors);
    const now = ticksFromDate(options.now ?? new Date());
    const ctx = new QueryContext(kql, this.db, now, options.watchlists ?? {}, evaluateTabular, options.limits, started);
    try {
      ctx.externalDataDir = options.externalDataDir ?? null;
      refuseUnsupported(analyzed.root, ctx);
      ctx.budget.check();
      const table = evaluateQuery(analyzed, ctx);
      ctx.budget.enter(null);
      const result = toQueryResult(table, analyzed.resultColumns, ctx.budget);
      if (ctx.chart !== null) result.chart = ctx.chart;
      return { result, tables: referencedTables(analyzed.root, this.db.tableNames()) };
    } catch (error) {
      if (error instanceof KqlUnsupportedError || error instanceof KqlRuntimeError || error instanceof KqlLimitError) throw error;
      throw new KqlRuntimeError(`Evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
