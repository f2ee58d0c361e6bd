import type { AppConfig } from '../config/config';
import { engineLimits, limitFailure, queryLimits } from '../backends/embedded-backend';
import { DataFileError, KqlDatabase, KqlEngine, KqlLimitError, KqlQueryError, type QueryAnalysis, analyzerFor, warmUpKql } from '../kql';
import type { SharedDatabase } from '../kql/database';
import type { Cell, QueryResult } from '../kql/types';
import { dataWarningsFor } from '../data/data-warnings';
import type { CliIO } from './io';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK } from './command-line';
import { errorMessage } from '../util/error-message';
import { type KeptForQuery, keptAnalysesOf } from './kept-analyses';

/** What `huntbot query` was asked. */
export interface QueryArgs {
  dataDir?: string;
  json: boolean;
  now?: Date;
  kql: string;
}

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/** A plain aligned text table: header, rule, rows, and a row count. */
export function formatTable(result: QueryResult): string {
  const header = result.columns.map((c) => c.name);
  const body = result.rows.map((r) => r.map(cellText));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    `(${countOf(result.rows.length, 'row')})`,
  ].join('\n');
}

/** Who makes a query's analysis when none is kept: this process's parser, or another process's. */
export interface QueryAnalyser {
  /** Gets ready while the data loads (loads the parser in this process); only called when an analysis will be needed. */
  warm?: () => Promise<void>;
  analyse(db: KqlDatabase, kql: string): Promise<QueryAnalysis>;
}

/**
 * The data (loading in its own thread), with the analyser warmed meanwhile when `warm` is given: on
 * two cores the two costs overlap.
 */
async function openDatabase(data: Promise<SharedDatabase>, io: CliIO, warm: (() => Promise<void>) | undefined): Promise<KqlDatabase> {
  const [shared] = await Promise.all([data, warm?.()]);
  const db = KqlDatabase.fromShared(shared);
  for (const note of db.notes) io.err(`note: ${note}`);
  return db;
}

/** The official parser's analysis of a query against a database's tables (the parser is loaded if it is not yet). */
export async function analyseOver(db: KqlDatabase, kql: string): Promise<QueryAnalysis> {
  await warmUpKql();
  return analyzerFor(db.extraSchemas()).analysis(kql);
}

/** The parser of this process, loaded while the data loads. */
export const ANALYSER_HERE: QueryAnalyser = { warm: warmUpKql, analyse: analyseOver };

/**
 * Runs the query over `data` with the bot's engine limits and prints the answer. `kept`: the kept
 * analyses, when the caller read them already (to decide whether an analyser is needed at all).
 */
export async function answerQuery(
  args: QueryArgs,
  config: AppConfig,
  data: Promise<SharedDatabase>,
  io: CliIO,
  analyser: QueryAnalyser = ANALYSER_HERE,
  kept: KeptForQuery = keptAnalysesOf(config.cacheDir, args.kql),
): Promise<number> {
  // The same rows, time and memory limits as the bot's hunts (HUNT_ENGINE_MAX_ROWS and friends).
  const limits = engineLimits(config);
  // A query answered before over data of the same tables needs no parser: its analysis was kept.
  const keptEntries = kept.entries;
  let db: KqlDatabase;
  try {
    db = await openDatabase(data, io, keptEntries.length === 0 ? analyser.warm : undefined);
  } catch (error) {
    if (error instanceof DataFileError) {
      io.err(`huntbot query: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  try {
    const extraSchemas = JSON.stringify(db.extraSchemas());
    let analysis = kept.kept.find(keptEntries, extraSchemas);
    if (!analysis) {
      analysis = await analyser.analyse(db, args.kql);
      kept.kept.keep(keptEntries, extraSchemas, analysis);
    }
    const { result, tables } = new KqlEngine(db).evaluate(analysis, { now: args.now, limits: queryLimits(limits), externalDataDir: limits.externalDataDir });
    io.out(args.json ? JSON.stringify(result) : formatTable(result));
    for (const warning of dataWarningsFor(db, tables)) io.err(`warning: ${warning.message}`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof KqlQueryError) {
      for (const d of error.diagnostics) io.err(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
      return EXIT_FAILURE;
    }
    if (error instanceof KqlLimitError) {
      io.err(`huntbot query: ${limitFailure(error, limits).message}`);
      return EXIT_FAILURE;
    }
    io.err(`huntbot query: ${errorMessage(error)}`);
    return EXIT_FAILURE;
  }
}
