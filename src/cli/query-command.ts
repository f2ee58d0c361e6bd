import { loadDataFolder } from '../data/jsonl';
import { engineLimits } from '../backends/create-backend';
import { limitFailure, queryLimits, type EngineLimits } from '../backends/embedded-backend';
import { ConfigError, loadConfig } from '../config/config';
import { DataFileError, KqlDatabase, KqlEngine, KqlLimitError, KqlQueryError } from '../kql';
import type { Cell, QueryResult } from '../kql/types';
import { dataWarningsFor } from '../data/data-warnings';
import type { CliCommand, CliIO } from './io';
import { errorMessage } from '../util/error-message';

const USAGE = "usage: huntbot query [--data DIR] [--json] [--now ISO] '<KQL>'";

interface QueryArgs {
  dataDir?: string;
  json: boolean;
  now?: Date;
  kql: string;
}

function parseArgs(args: string[]): QueryArgs | string {
  const out: QueryArgs = { json: false, kql: '' };
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') out.json = true;
    else if (a === '--data' || a === '--now') {
      const value = args[++i];
      if (value === undefined) return `${a} needs a value`;
      if (a === '--data') out.dataDir = value;
      else {
        const now = new Date(value);
        if (Number.isNaN(now.getTime())) return `--now is not an ISO date: ${value}`;
        out.now = now;
      }
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else words.push(a);
  }
  out.kql = words.join(' ').trim();
  return out.kql ? out : 'missing the KQL query';
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
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}

async function openDatabase(args: QueryArgs, io: CliIO): Promise<KqlDatabase> {
  if (args.dataDir) {
    const db = loadDataFolder(args.dataDir);
    for (const note of db.notes) io.err(`note: ${note}`);
    return db;
  }
  const { sampleDatabase } = await import('../data/sample-data');
  return sampleDatabase({ now: args.now });
}

/** `huntbot query`: runs KQL on the embedded engine over a data folder or the generated sample telemetry. */
export const queryCommand: CliCommand = async (argv, io) => {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`huntbot query: ${args}. ${USAGE}`);
    return 2;
  }
  let limits: EngineLimits;
  try {
    // The same rows, time and memory limits as the bot's hunts (HUNT_ENGINE_MAX_ROWS and friends).
    limits = engineLimits(loadConfig(process.env));
  } catch (error) {
    io.err(`huntbot query: ${error instanceof ConfigError ? error.message : String(error)}`);
    return 2;
  }
  let db: KqlDatabase;
  try {
    db = await openDatabase(args, io);
  } catch (error) {
    if (error instanceof DataFileError) {
      io.err(`huntbot query: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    const { result, tables } = new KqlEngine(db).queryWithTables(args.kql, { now: args.now, limits: queryLimits(limits) });
    io.out(args.json ? JSON.stringify(result) : formatTable(result));
    for (const warning of dataWarningsFor(db, tables)) io.err(`warning: ${warning.message}`);
    return 0;
  } catch (error) {
    if (error instanceof KqlQueryError) {
      for (const d of error.diagnostics) io.err(`${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
      return 1;
    }
    if (error instanceof KqlLimitError) {
      io.err(`huntbot query: ${limitFailure(error, limits).message}`);
      return 1;
    }
    io.err(`huntbot query: ${errorMessage(error)}`);
    return 1;
  }
};
