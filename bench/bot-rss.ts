/**
 * The bot's memory with its data loaded: starts the real bot process (`botEntry`, so an older build
 * can be measured the same way) with HUNT_ENGINE_WORKERS=n over a data folder (or the generated
 * sample), waits until /healthz says ok (the engine workers have their data by then), and reads the
 * peak resident set (VmHWM, all threads) of the process and of its own (the Kusto parser's process),
 * and how long it took to be ready.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitForHealthyBot } from './bot-process';

export interface BotMemory {
  workers: number;
  peakRssMb: number;
  /** RSS once ready (what stays resident). */
  rssMb: number;
  readyMs: number;
}

/** VmHWM and VmRSS (MB) from the text of /proc/<pid>/status; NaN when a line is missing. */
export function memoryFromProcStatus(status: string): { peakRssMb: number; rssMb: number } {
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  };
  return { peakRssMb: kb('VmHWM'), rssMb: kb('VmRSS') };
}

/** A /proc file's text; empty once its process has ended. */
export function readIfRunning(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The processes `pid` started (from /proc/<pid>/task/<tid>/children; none once it has ended): a bot's is its Kusto parser's. */
export function childProcessesOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => readIfRunning(`/proc/${pid}/task/${tid}/children`).split(' ').filter(Boolean).map(Number));
}

/** `pid` and the processes it started, and theirs. */
export function processTree(pid: number): number[] {
  return [pid, ...childProcessesOf(pid).flatMap((child) => processTree(child))];
}

/**
 * VmHWM and VmRSS (MB) of `pid` and every process it started, summed: the peak is the sum of each
 * one's own peak, an upper bound of the tree's (their peaks need not come at once).
 */
export function processTreeMemory(pid: number): { peakRssMb: number; rssMb: number; processes: number } {
  let peakRssMb = 0;
  let rssMb = 0;
  const pids = processTree(pid);
  for (const each of pids) {
    const memory = memoryFromProcStatus(readIfRunning(`/proc/${each}/status`));
    // One that ended since it was listed has nothing resident.
    if (Number.isNaN(memory.peakRssMb)) continue;
    peakRssMb += memory.peakRssMb;
    rssMb += memory.rssMb;
  }
  return { peakRssMb, rssMb, processes: pids.length };
}

/** `dataDir` undefined: the generated sample telemetry. `cacheDir` kept across starts measures a start with the snapshot. */
export async function measureBotMemory(options: { botEntry: string; dataDir?: string; cacheDir?: string; workers: number; port: number }): Promise<BotMemory> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-rss-'));
  const started = performance.now();
  const child = spawn(process.execPath, [options.botEntry], {
    env: {
      ...process.env,
      PORT: String(options.port),
      ...(options.dataDir ? { HUNT_DATA_DIR: options.dataDir } : {}),
      HUNT_STORE_PATH: path.join(stateDir, 'huntbot.db'),
      HUNT_CACHE_DIR: options.cacheDir ?? path.join(stateDir, 'cache'),
      HUNT_ENGINE_WORKERS: String(options.workers),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealthyBot(child, options.port);
    const readyMs = performance.now() - started;
    const { peakRssMb, rssMb } = processTreeMemory(child.pid!);
    return { workers: options.workers, readyMs, peakRssMb, rssMb };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * Peak RSS with 1, 2 and 4 engine workers over `dataDir` (the snapshot removed before each start, so
 * the loading peak is included) and the time to ready on the sample data, for this build and an
 * optional older one, printed side by side.
 */
export async function printBotMemory(options: { dataDir: string; rows: number; port: number; botEntry: string; baselineEntry?: string }): Promise<void> {
  const builds = [{ name: 'this build', entry: options.botEntry }, ...(options.baselineEntry ? [{ name: 'previous build (BENCH_BASELINE_BOT)', entry: options.baselineEntry }] : [])];
  console.log('');
  console.log(`Bot peak RSS (VmHWM, all threads, plus its Kusto parser process's where it has one) at ${options.rows.toLocaleString('en')} rows, by engine workers; time to ready:`);
  console.log(`| build | ${[1, 2, 4].map((w) => `${w} worker${w === 1 ? '' : 's'}`).join(' | ')} | ready, sample data (2 workers) |`);
  console.log('|---|---|---|---|---|');
  for (const build of builds) {
    const cells: string[] = [];
    for (const workers of [1, 2, 4]) {
      const m = await measureBotMemory({ botEntry: build.entry, dataDir: options.dataDir, workers, port: options.port });
      cells.push(`${m.peakRssMb.toFixed(0)} MB (ready ${(m.readyMs / 1000).toFixed(1)} s)`);
    }
    const sample = await measureBotMemory({ botEntry: build.entry, workers: 2, port: options.port });
    console.log(`| ${build.name} | ${cells.join(' | ')} | ${(sample.readyMs / 1000).toFixed(1)} s |`);
  }
}
