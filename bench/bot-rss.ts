/**
 * The bot's memory with its data loaded: starts the real bot process (`botEntry`, so an older build
 * can be measured the same way) with HUNT_ENGINE_WORKERS=n over a data folder, waits for /healthz,
 * runs one hunt through /api/messages-free path (/healthz only: loading is what is measured) and
 * reads the process's peak resident set (VmHWM, all threads) and how long it took to be ready.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
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

export async function measureBotMemory(options: { botEntry: string; dataDir: string; workers: number; port: number; env?: Record<string, string> }): Promise<BotMemory> {
  const stateDir = fs.mkdtempSync(path.join(options.dataDir, '..', 'rss-state-'));
  const started = performance.now();
  const child = spawn(process.execPath, [options.botEntry], {
    env: {
      ...process.env,
      PORT: String(options.port),
      HUNT_DATA_DIR: options.dataDir,
      HUNT_STORE_PATH: path.join(stateDir, 'huntbot.db'),
      HUNT_CACHE_DIR: path.join(stateDir, 'cache'),
      HUNT_ENGINE_WORKERS: String(options.workers),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealthyBot(child, options.port);
    const readyMs = performance.now() - started;
    // /healthz answers before the engine workers finish loading only if the backend is not awaited; it is.
    const memory = memoryFromProcStatus(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { workers: options.workers, readyMs, ...memory };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
