import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { staleBuild, waitUntilGone } from './bot-process';

const REPO = path.resolve(__dirname, '..', '..');
const PARSER_PROCESS = JSON.stringify(path.join(REPO, 'dist', 'src', 'backends', 'parser-process.js'));

/**
 * A process with nothing else to do but wait for its parser (a bot starting on data loaded from its
 * snapshot in milliseconds) is kept alive by that wait, and ends once the parser process is closed.
 * A parser process never outlives the process that started it, even one stuck in a query.
 */
describe('the Kusto parser process and the life of the process that started it', () => {
  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
  });

  it('keeps a process that only awaits the parser alive until the parser is warm, then lets it end', () => {
    const script = `
      const { ParserProcess } = require(${PARSER_PROCESS});
      const parser = new ParserProcess(() => undefined);
      parser.warmed.then(() => parser.questions.check('print x = 1')).then((diagnostics) => {
        console.log('warm, check answered: ' + JSON.stringify(diagnostics));
        return parser.close();
      });
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout).toBe('warm, check answered: []\n');
    expect(run.status).toBe(0);
  });

  it('ends a parser process stuck in a query once the process that started it is killed', async () => {
    // The parent says its parser's pid, makes the parser hang (stuck, as in one endless analysis: it reads
    // no 'disconnect'), and is killed as the OOM killer or a second SIGTERM would kill a bot.
    const script = `
      const { ParserProcess } = require(${PARSER_PROCESS});
      const parser = new ParserProcess(() => undefined, { faultInjection: true });
      parser.warmed.then(() => {
        console.log(parser.process.pid);
        parser.injectFault('hang');
        setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);
      });
    `;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    parent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const signal = await new Promise((resolve) => parent.once('exit', (_code, killedBy) => resolve(killedBy)));
    expect(signal).toBe('SIGKILL');
    const parser = Number(output.trim());
    expect(parser).toBeGreaterThan(0);
    try {
      await waitUntilGone([parser], 15_000);
    } finally {
      // Not left stuck on the machine when this test fails.
      try {
        process.kill(parser, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  });

  it('leaves the parser running when a signal to the whole process group (Ctrl+C, a supervisor) asks its starter to stop gracefully', async () => {
    // The starter stops as the bot does: on SIGINT it finishes its work, here a question asked after the
    // signal; until then something else keeps it running (the bot's server).
    const script = `
      const { ParserProcess } = require(${PARSER_PROCESS});
      const server = setInterval(() => undefined, 1_000);
      const parser = new ParserProcess(() => undefined);
      process.once('SIGINT', () => setTimeout(() => {
        parser.questions.check('print x = 1').then(
          (diagnostics) => console.log(JSON.stringify({ diagnostics, starts: parser.starts, lastStop: parser.lastStop ?? null })),
          (error) => console.log(JSON.stringify({ error: error.message, starts: parser.starts })),
        ).finally(() => {
          clearInterval(server);
          return parser.close();
        });
      }, 500));
      parser.warmed.then(() => console.log('warm'));
    `;
    // Its own process group, as a terminal's foreground job is.
    const starter = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let output = '';
    starter.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output === 'warm\n') process.kill(-starter.pid!, 'SIGINT');
    });
    await new Promise((resolve) => starter.once('close', resolve));
    expect(JSON.parse(output.split('\n')[1])).toEqual({ diagnostics: [], starts: 1, lastStop: null });
  });
});
