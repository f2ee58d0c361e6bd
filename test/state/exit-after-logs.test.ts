import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO, staleBuild } from './bot-process';

/**
 * A real process logging through the bot's own logger to a pipe its reader does not empty for a second (a log
 * collector behind, a loaded machine): it writes a backlog, waits until the pipe is full, logs "stopping" and
 * "stopped" and exits through exitAfterLogs. Resolves with what reached the pipe and the exit code.
 */
function stopWithFullPipe(): Promise<{ lines: string[]; code: number | null }> {
  const script = `
    const { createLogger } = require(${JSON.stringify(path.join(REPO, 'dist/src/logging/logger.js'))});
    const { exitAfterLogs } = require(${JSON.stringify(path.join(REPO, 'dist/src/logging/exit-after-logs.js'))});
    const logger = createLogger('info');
    for (let i = 0; i < 500; i++) logger.info({ event: 'backlog', i, detail: 'x'.repeat(4_000) }, 'backlog');
    setTimeout(() => {
      logger.info({ event: 'stopping' }, 'stopping');
      logger.info({ event: 'stopped' }, 'stopped');
      exitAfterLogs(logger, 0);
    }, 300);
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
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
});
