import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Azurite's well-known development account (public, documented, only valid against the emulator). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** Blob endpoint, e.g. http://127.0.0.1:41234/devstoreaccount1 */
  blobEndpoint: string;
  port: number;
  /** A full connection string for the emulator's development account on this port. */
  connectionString: string;
  pid: number;
  /** Stops the emulator (SIGTERM, then SIGKILL) and removes its temporary folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Keep data in memory (default) or in the temporary folder. */
  inMemory?: boolean;
  /** How long to wait for the emulator to listen. */
  startTimeoutMs?: number;
}

const MAIN = require.resolve('azurite/dist/src/blob/main.js');
const LISTENING = /successfully listens on https?:\/\/[^\s:]+:(\d+)/;

/**
 * Starts the Azurite blob emulator on 127.0.0.1. The port is chosen by the operating system (`--blobPort 0`,
 * read back from Azurite's start line), so there is no window in which another process can take it; a start
 * that fails anyway is retried. Runs `node` on Azurite's entry directly (no shell), so stop() ends that process.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce({ inMemory = true, startTimeoutMs = 120_000 }: AzuriteOptions): Promise<RunningAzurite> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-azurite-'));
  const args = [
    MAIN,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
    ...(inMemory ? ['--inMemoryPersistence', '--extentMemoryLimit', '256'] : ['--location', workDir]),
  ];
  // cwd is the temporary folder too: anything Azurite writes next to itself is removed with it.
  const child = spawn(process.execPath, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';

  const stop = async () => {
    await terminate(child, exited);
    fs.rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = LISTENING.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited before listening (code ${code}, signal ${signal}):\n${output}`));
      });
    });
    await waitForConnection(port, startTimeoutMs);
    // Keep draining output so a chatty emulator never blocks on a full pipe.
    child.stdout!.resume();
    child.stderr!.resume();

    const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
    return {
      blobEndpoint,
      port,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`,
      pid: child.pid!,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForConnection(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`Azurite on port ${port} did not accept connections within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5_000);
  });
  await Promise.race([exited, forced]);
  clearTimeout(timer);
  await exited;
}
