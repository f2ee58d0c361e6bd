import { loadInThread } from '../backends/shared-data';
import { parserPreloaded } from '../kql/parser/preloaded-parser';
import { type AppConfig, ConfigError, loadConfig } from '../config/config';
import type { DataSource } from '../data/data-source';
import { sampleNow } from '../data/sample-now';
import type { CliIO } from './io';
import { EXIT_USAGE, UsageError, defineCommand, isoTime } from './command-line';
import { AnalyserOnDemand, AnalysisProcess, analyserThrough } from './analysis-process';
import { keptAnalysesOf } from './kept-analyses';
import type { QueryArgs } from './query-answer';

const OPTIONS = { data: { type: 'string' }, json: { type: 'boolean' }, now: { type: 'string' } } as const;

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
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // A bad setting is a usage error like a bad option: nothing ran, fix it and run again.
    io.err(`huntbot query: ${error instanceof ConfigError ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
  // The data starts loading in a thread of its own (from its snapshot in HUNT_CACHE_DIR when that is
  // current) before this thread loads the engine and the Kusto parser, which then overlap with it.
  // The hour's sample is kept there too; a sample for another --now is generated and not kept.
  const source: DataSource = args.dataDir
    ? { kind: 'folder', dir: args.dataDir, cacheDir: config.cacheDir }
    : { kind: 'sample', nowMs: (args.now ?? sampleNow()).getTime(), huntingTables: true, cacheDir: args.now === undefined ? config.cacheDir : undefined };
  // A query asked before over the same tables has its analysis kept; another is analysed in a process started from
  // the parser's snapshot (bin/kql-analyser.js) while the data loads here. Either way this thread has little to do
  // meanwhile, so the JSON is parsed on every core. Without the snapshot, this thread loads the parser instead.
  const kept = keptAnalysesOf(config.cacheDir, args.kql);
  const analysisProcess = kept.entries.length === 0 ? AnalysisProcess.fromParserSnapshot() : undefined;
  const data = loadInThread(source, undefined, { callerIdle: kept.entries.length > 0 || analysisProcess !== undefined || parserPreloaded() });
  const { ANALYSER_HERE, answerQuery } = await import('./query-answer');
  // Kept only for other data: should this data need another analysis, a process from the snapshot makes it, not a parser loaded here.
  const onDemand = kept.entries.length > 0 ? new AnalyserOnDemand(ANALYSER_HERE) : undefined;
  try {
    return await answerQuery(args, config, data, io, analysisProcess ? analyserThrough(analysisProcess, ANALYSER_HERE, args.kql) : (onDemand ?? ANALYSER_HERE), kept);
  } finally {
    analysisProcess?.close();
    onDemand?.close();
  }
}
