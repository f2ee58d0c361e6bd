/**
 * Cold starts as whole processes: `huntbot query` of the hunt over a data folder, started as users
 * start it (bin/huntbot.js, which starts from the Kusto parser's snapshot when the build made one),
 * for the first load, with the data's snapshot, without the parser's snapshot
 * (HUNTBOT_PARSER_SNAPSHOT=0), and optionally an older build's CLI, against DuckDB's load-and-query
 * of the same file in a fresh process. Runs alternate (one of each per round) and each figure is the median.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ColdStartOptions {
  dir: string;
  file: string;
  kql: string;
  now: Date;
  windowStart: Date;
  rounds?: number;
  /** dist/src/cli/main.js of an older build (BENCH_BASELINE_CLI), measured the same way. */
  baselineCli?: string;
}

export interface ColdStartFigures {
  duckDbMs: number;
  firstLoadMs: number;
  /** The snapshot present and the query's analysis kept (it was asked before): the Kusto parser is not loaded. */
  snapshotMs: number;
  /** The snapshot present, the query not asked before: the Kusto parser is loaded, overlapping the snapshot's read. */
  snapshotNewQueryMs: number;
  /** The same two without the parser's startup snapshot (HUNTBOT_PARSER_SNAPSHOT=0): the parser loads in the process. */
  firstLoadNoParserSnapshotMs: number;
  snapshotNewQueryNoParserSnapshotMs: number;
  baselineMs?: number;
}

const LAUNCHER = 'require(process.argv[1]).main(process.argv.slice(2)).then((code) => { process.exitCode = code; })';

/** Wall time of one process, from spawn to exit; rejects when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.slice(0, 2).join(' ')} exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function measureColdStarts(options: ColdStartOptions): Promise<ColdStartFigures> {
  const cacheDir = fs.mkdtempSync(path.join(path.dirname(options.dir), 'cold-cache-'));
  const ours = path.join(__dirname, '..', '..', 'bin', 'huntbot.js');
  const args = ['query', '--data', options.dir, '--now', options.now.toISOString(), options.kql];
  // An older build's dist/src/cli/main.js is started through a launcher, as its bin/huntbot.js did.
  const query = (cli: string) => (cli.endsWith('main.js') ? ['-e', LAUNCHER, cli, ...args] : [cli, ...args]);
  const env = { HUNT_CACHE_DIR: cacheDir };
  const noParserSnapshot = { ...env, HUNTBOT_PARSER_SNAPSHOT: '0' };
  const forgetAnalyses = () => fs.rmSync(path.join(cacheDir, 'kql-analyses'), { recursive: true, force: true });
  const times: Record<keyof ColdStartFigures, number[]> = {
    duckDbMs: [],
    firstLoadMs: [],
    snapshotMs: [],
    snapshotNewQueryMs: [],
    firstLoadNoParserSnapshotMs: [],
    snapshotNewQueryNoParserSnapshotMs: [],
    baselineMs: [],
  };
  try {
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      times.duckDbMs.push(await timeProcess([path.join(__dirname, 'duckdb-cold.js'), options.file, options.windowStart.toISOString(), options.now.toISOString()], env));
      fs.rmSync(cacheDir, { recursive: true, force: true });
      times.firstLoadMs.push(await timeProcess(query(ours), env));
      times.snapshotMs.push(await timeProcess(query(ours), env));
      forgetAnalyses();
      times.snapshotNewQueryMs.push(await timeProcess(query(ours), env));
      forgetAnalyses();
      times.snapshotNewQueryNoParserSnapshotMs.push(await timeProcess(query(ours), noParserSnapshot));
      fs.rmSync(cacheDir, { recursive: true, force: true });
      times.firstLoadNoParserSnapshotMs.push(await timeProcess(query(ours), noParserSnapshot));
      if (options.baselineCli) {
        // The previous build's first load too (it would read the snapshot just written otherwise).
        fs.rmSync(cacheDir, { recursive: true, force: true });
        times.baselineMs.push(await timeProcess(query(options.baselineCli), env));
      }
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  return {
    duckDbMs: median(times.duckDbMs),
    firstLoadMs: median(times.firstLoadMs),
    snapshotMs: median(times.snapshotMs),
    snapshotNewQueryMs: median(times.snapshotNewQueryMs),
    firstLoadNoParserSnapshotMs: median(times.firstLoadNoParserSnapshotMs),
    snapshotNewQueryNoParserSnapshotMs: median(times.snapshotNewQueryNoParserSnapshotMs),
    baselineMs: options.baselineCli ? median(times.baselineMs) : undefined,
  };
}

export function printColdStarts(figures: ColdStartFigures, rounds: number): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ratio = (ms: number) => (ms / figures.duckDbMs).toFixed(2);
  console.log(`cold start, whole processes, alternated, median of ${rounds}:`);
  console.log('| | wall | / DuckDB |');
  console.log('|---|---|---|');
  console.log(`| DuckDB: new process, read_json + hunt (baseline) | ${s(figures.duckDbMs)} | 1.00 |`);
  console.log(`| huntbot query, first load (parse, write snapshot) | ${s(figures.firstLoadMs)} | ${ratio(figures.firstLoadMs)} |`);
  console.log(`| huntbot query, with snapshot, the same query again (its analysis kept: no Kusto parser) | ${s(figures.snapshotMs)} | ${ratio(figures.snapshotMs)} |`);
  console.log(`| huntbot query, with snapshot, a query not asked before (the Kusto parser from its startup snapshot) | ${s(figures.snapshotNewQueryMs)} | ${ratio(figures.snapshotNewQueryMs)} |`);
  console.log(`| the same without the parser's snapshot (HUNTBOT_PARSER_SNAPSHOT=0: loads the parser) | ${s(figures.snapshotNewQueryNoParserSnapshotMs)} | ${ratio(figures.snapshotNewQueryNoParserSnapshotMs)} |`);
  console.log(`| huntbot query, first load without the parser's snapshot (HUNTBOT_PARSER_SNAPSHOT=0) | ${s(figures.firstLoadNoParserSnapshotMs)} | ${ratio(figures.firstLoadNoParserSnapshotMs)} |`);
  if (figures.baselineMs !== undefined) console.log(`| huntbot query, previous build, first load (BENCH_BASELINE_CLI) | ${s(figures.baselineMs)} | ${ratio(figures.baselineMs)} |`);
}
