import type { KqlDatabase } from './database';
import { KqlLimitError, KqlQueryError, KqlRuntimeError, KqlUnsupportedError } from './errors';
import type { QueryLimits } from './eval/budget';
import { QueryContext } from './eval/context';
import { evaluateQuery, toQueryResult } from './eval/query';
import { refuseUnsupported } from './eval/support-check';
import { evaluateTabular } from './eval/tabular';
import { KqlAnalyzer } from './parser/analyzer';
import { catalogOf } from './parser/catalog';
import { referencedTables } from './referenced-tables';
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

/**
 * Runs KQL over a KqlDatabase. Every query is parsed and analysed by the official parser first;
 * a query with errors is never evaluated. Evaluation is synchronous.
 */
export class KqlEngine {
  private readonly analyzer: KqlAnalyzer;

  constructor(private readonly db: KqlDatabase) {
    this.analyzer = new KqlAnalyzer(catalogOf(undefined, db.extraSchemas()));
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
    const analyzed = this.analyzer.analyze(kql);
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
