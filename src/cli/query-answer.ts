import type { AppConfig } from '../config/config';
import { engineLimits, limitFailure, queryLimits } from '../backends/embedded-backend';
import * as path from 'node:path';
import { DataFileError, KqlDatabase, KqlEngine, KqlLimitError, KqlQueryError, type QueryAnalysis, analyzerFor, warmUpKql } from '../kql';
import type { SharedDatabase } from '../kql/database';
import type { Cell, QueryResult } from '../kql/types';
import { dataWarningsFor } from '../data/data-warnings';
import type { CliIO } from './io';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK } from './command-line';
import { errorMessage } from '../util/error-message';
import { KeptAnalyses } from './kept-analyses';

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

/**
 * The data (loading in its own thread), with the Kusto parser loaded meanwhile when `withParser`: on
 * two cores the two costs overlap.
 */
async function openDatabase(data: Promise<SharedDatabase>, io: CliIO, withParser: boolean): Promise<KqlDatabase> {
  const [shared] = await Promise.all([data, withParser ? warmUpKql() : undefined]);
  const db = KqlDatabase.fromShared(shared);
  for (const note of db.notes) io.err(`note: ${note}`);
  return db;
}

/** The official parser's analysis of a query against a database's tables (the parser is loaded if it is not yet). */
export async function analyseOver(db: KqlDatabase, kql: string): Promise<QueryAnalysis> {
  await warmUpKql();
  return analyzerFor(db.extraSchemas()).analysis(kql);
}

/** Runs the query over `data` with the bot's engine limits and prints the answer. */
export async function answerQuery(args: QueryArgs, config: AppConfig, data: Promise<SharedDatabase>, io: CliIO, analyse = analyseOver): Promise<number> {
  // The same rows, time and memory limits as the bot's hunts (HUNT_ENGINE_MAX_ROWS and friends).
  const limits = engineLimits(config);
  // A query answered before over data of the same tables needs no parser: its analysis was kept.
  const kept = new KeptAnalyses(path.join(config.cacheDir, 'kql-analyses'));
  const keptEntries = kept.entriesFor(args.kql);
  let db: KqlDatabase;
  try {
    db = await openDatabase(data, io, keptEntries.length === 0);
  } catch (error) {
    if (error instanceof DataFileError) {
      io.err(`huntbot query: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  try {
    const extraSchemas = JSON.stringify(db.extraSchemas());
    let analysis = kept.find(keptEntries, extraSchemas);
    if (!analysis) {
      analysis = await analyse(db, args.kql);
      kept.keep(keptEntries, extraSchemas, analysis);
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
