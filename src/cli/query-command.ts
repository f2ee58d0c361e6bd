import { loadInThread } from '../backends/shared-data';
import { engineLimits, limitFailure, queryLimits, type EngineLimits } from '../backends/embedded-backend';
import { ConfigError, loadConfig } from '../config/config';
import { DataFileError, KqlDatabase, KqlEngine, KqlLimitError, KqlQueryError, warmUpKql } from '../kql';
import type { Cell, QueryResult } from '../kql/types';
import { dataWarningsFor } from '../data/data-warnings';
import type { DataSource } from '../data/data-source';
import { sampleNow } from '../data/generator';
import type { CliIO } from './io';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, defineCommand, isoTime } from './command-line';
import { errorMessage } from '../util/error-message';

const OPTIONS = { data: { type: 'string' }, json: { type: 'boolean' }, now: { type: 'string' } } as const;

interface QueryArgs {
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

async function openDatabase(args: QueryArgs, cacheDir: string, io: CliIO): Promise<KqlDatabase> {
  // The data loads in a thread of its own (from its snapshot in HUNT_CACHE_DIR when that is current)
  // while this one loads the Kusto parser: on two cores the two costs overlap. The hour's sample is
  // kept there too; a sample for another --now is generated and not kept.
  const source: DataSource = args.dataDir
    ? { kind: 'folder', dir: args.dataDir, cacheDir }
    : { kind: 'sample', nowMs: (args.now ?? sampleNow()).getTime(), huntingTables: true, cacheDir: args.now === undefined ? cacheDir : undefined };
  const [shared] = await Promise.all([loadInThread(source), warmUpKql()]);
  const db = KqlDatabase.fromShared(shared);
  for (const note of db.notes) io.err(`note: ${note}`);
  return db;
}

/** `huntbot query`: runs KQL on the embedded engine over a data folder or the generated sample telemetry. */
export const queryCommand = defineCommand({
  name: 'query',
  usage: "usage: huntbot query [--data DIR] [--json] [--now ISO] '<KQL>'",
  help: `Runs KQL on the embedded engine, with the bot's engine limits (HUNT_ENGINE_MAX_ROWS and friends).

  --data DIR   a folder of <Table>.jsonl files (default: the generated sample telemetry)
  --json       print the Log Analytics wire shape {"columns":[{"name","type"}],"rows":[...]}
  --now ISO    the time now() and ago() use (default: the clock)

Exit 0 with the result, 1 when the query or the data fails, 2 on a usage error or a bad setting.`,
  options: OPTIONS,
  run: async ({ values, positionals }, io) => {
    const kql = positionals.join(' ').trim();
    if (!kql) throw new UsageError('missing the KQL query');
    const args: QueryArgs = { dataDir: values.data || undefined, json: values.json === true, now: values.now === undefined ? undefined : isoTime('--now', values.now), kql };
    return runQuery(args, io);
  },
});

async function runQuery(args: QueryArgs, io: CliIO): Promise<number> {
  let limits: EngineLimits;
  let cacheDir: string;
  try {
    // The same rows, time and memory limits as the bot's hunts (HUNT_ENGINE_MAX_ROWS and friends).
    const config = loadConfig(process.env);
    limits = engineLimits(config);
    cacheDir = config.cacheDir;
  } catch (error) {
    // A bad setting is a usage error like a bad option: nothing ran, fix it and run again.
    io.err(`huntbot query: ${error instanceof ConfigError ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
  let db: KqlDatabase;
  try {
    db = await openDatabase(args, cacheDir, io);
  } catch (error) {
    if (error instanceof DataFileError) {
      io.err(`huntbot query: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  try {
    const { result, tables } = new KqlEngine(db).queryWithTables(args.kql, { now: args.now, limits: queryLimits(limits), externalDataDir: limits.externalDataDir });
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
