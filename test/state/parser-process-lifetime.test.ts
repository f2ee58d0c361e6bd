import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { staleBuild } from './bot-process';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * A process with nothing else to do but wait for its parser (a bot starting on data loaded from its
 * snapshot in milliseconds) is kept alive by that wait, and ends once the parser process is closed.
 */
describe('the Kusto parser process and the life of the process that started it', () => {
  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
  });

  it('keeps a process that only awaits the parser alive until the parser is warm, then lets it end', () => {
    const script = `
      const { ParserProcess } = require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'backends', 'parser-process.js'))});
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
});
