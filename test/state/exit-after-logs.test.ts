import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO, staleBuild } from './bot-process';

/**
 * A real process logging through the bot's own logger: it writes a backlog of 2 MB, waits until a pipe not read
 * is full, logs "stopping" and "stopped" and exits through exitAfterLogs (with `ceilingMs` when given).
 */
function loggingProcess(ceilingMs?: number) {
  const script = `
    const { createLogger } = require(${JSON.stringify(path.join(REPO, 'dist/src/logging/logger.js'))});
    const { exitAfterLogs } = require(${JSON.stringify(path.join(REPO, 'dist/src/logging/exit-after-logs.js'))});
    const logger = createLogger('info');
    for (let i = 0; i < 500; i++) logger.info({ event: 'backlog', i, detail: 'x'.repeat(4_000) }, 'backlog');
    setTimeout(() => {
      logger.info({ event: 'stopping' }, 'stopping');
      logger.info({ event: 'stopped' }, 'stopped');
      exitAfterLogs(logger, 0, ${JSON.stringify(ceilingMs)});
    }, 300);
  `;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** The logging process with a reader that does not empty the pipe for a second (a log collector behind, a loaded machine). */
function stopWithFullPipe(): Promise<{ lines: string[]; code: number | null }> {
  const child = loggingProcess();
  const chunks: Buffer[] = [];
  // Not read for a second: the child's writes meet a full pipe.
  setTimeout(() => child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk)), 1_000);
  return new Promise((resolve) => {
    child.once('close', (code) => resolve({ lines: Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean), code }));
  });
}

describe('a process that exits after its last log lines', () => {
  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
  });

  it('exits only once every line has reached a slow reader, whole and in order', async () => {
    const { lines, code } = await stopWithFullPipe();
    const events = lines.map((line) => (JSON.parse(line) as { event: string; i?: number }).event);
    expect(code).toBe(0);
    expect(events).toEqual([...Array.from({ length: 500 }, () => 'backlog'), 'stopping', 'stopped']);
  }, 30_000);

  it('still exits at its ceiling when the reader takes nothing more, giving up the lines not yet written', async () => {
    const child = loggingProcess(300);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waited = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 8_000));
    const outcome = await Promise.race([exited, waited]);
    child.kill('SIGKILL');
    child.stdout.destroy();
    expect(outcome).toBe(0);
  }, 30_000);
});
