import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { botCacheDir, keepSampleCache, seedSampleCache } from '../support/sample-cache';

export const REPO = path.resolve(__dirname, '../..');
const ENTRY = path.join(REPO, 'dist/src/index.js');

/** One `node dist/src/index.js`, as App Service runs it, with the URL it reported in its "started" log line. */
export interface BotProcess {
  name: string;
  url: string;
  pid: number;
  /** Every stdout/stderr line so far, for failure messages. */
  output(): string;
  /** SIGTERM (the bot's own graceful stop), SIGKILL only after a generous 90 s (a loaded machine is slow to stop). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The build this test runs must be the source it is checked against: every src/**.ts needs a dist .js at
 * least as new (tsc rewrites all outputs on each build). Returns the problem, or undefined when fresh.
 */
export function staleBuild(): string | undefined {
  const stale: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const built = path.join(REPO, 'dist', path.relative(REPO, file)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(file).mtimeMs) stale.push(path.relative(REPO, file));
      }
    }
  };
  visit(path.join(REPO, 'src'));
  return stale.length > 0
    ? `dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}…): run \`npm run build\` first`
    : undefined;
}

/** Resolves once none of `pids` is running (a zombie, exited but not yet reaped by init, counts as gone); rejects after `ceilingMs`. */
export async function waitUntilGone(pids: readonly number[], ceilingMs = 60_000): Promise<void> {
  const running = (pid: number) => {
    try {
      return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  const until = Date.now() + ceilingMs;
  while (pids.some(running)) {
    if (Date.now() > until) throw new Error(`processes still running after ${ceilingMs / 1000} s: ${pids.filter(running).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the built bot with exactly `env` (plus PATH/HOME), on a port the OS picks; resolves once it listens.
 * Its HUNT_CACHE_DIR starts with the jest run's snapshot of the generated sample (test/support/sample-cache.ts)
 * unless `sharedSample` is false (a test of the cold start). `root`: another installation of the package (its
 * dist/src/index.js, run from its folder).
 */
export async function startBotProcess(name: string, env: Record<string, string>, timeoutMs = 180_000, { sharedSample = true, root = REPO } = {}): Promise<BotProcess> {
  const cacheDir = botCacheDir(env, root);
  if (sharedSample) seedSampleCache(cacheDir);
  const child = spawn(process.execPath, [root === REPO ? ENTRY : path.join(root, 'dist/src/index.js')], {
    cwd: root,
    // The daily expiring-tags timer stays off unless a test turns it on: no card appears in the middle of a test.
    // One engine worker unless a test asks for more: each worker loads the Kusto parser, seconds of CPU per start.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', HUNT_EXPIRY_NOTICES: 'off', HUNT_ENGINE_WORKERS: '1', HUNT_CARD_ANSWER_SECONDS: '14', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': the child's last log lines may still be in the pipe when it exits.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 90_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    keepSampleCache(cacheDir);
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        for (const line of output.split('\n')) {
          if (!line.includes('"event":"started"')) continue;
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
          return;
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited before listening (code ${code}, signal ${signal}):\n${output}`));
      });
    });
    return { name, url, pid: child.pid!, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
