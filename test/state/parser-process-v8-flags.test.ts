import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parserSnapshotArguments } from '../../src/backends/parser-snapshot';
import { staleBuild } from './bot-process';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * A bot run with a V8 flag of its own (`--max-old-space-size`, as App Service's NODE_OPTIONS often sets)
 * still gets a Kusto parser: a parser snapshot starts only under the flags it was built with, so a start
 * from it that fails is followed by one that loads the parser, and the failed start is logged with why.
 */
describe('the Kusto parser process under the V8 flags of the process that starts it', () => {
  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
  });

  it.each([
    ['on the command line', ['--max-old-space-size=2048'], {}],
    ['in NODE_OPTIONS', [], { NODE_OPTIONS: '--max-old-space-size=2048' }],
  ])('answers questions for a process given a heap size %s', (_where, flags: string[], env: Record<string, string>) => {
    const script = `
      const { ParserProcess } = require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'backends', 'parser-process.js'))});
      const stops = [];
      const parser = new ParserProcess(() => stops.push(parser.lastStop));
      parser.warmed
        .then(() => parser.questions.check('print x = 1'))
        .then((diagnostics) => console.log(JSON.stringify({ diagnostics, failure: parser.failure ?? null, stops })))
        .catch((error) => console.log(JSON.stringify({ error: error.message, stops })))
        .finally(() => parser.close());
    `;
    const run = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
    const outcome = JSON.parse(run.stdout) as { diagnostics?: unknown; failure?: null; stops: string[] };
    expect(outcome).toEqual(expect.objectContaining({ diagnostics: [], failure: null }));
    // A failed start from the snapshot (when the build made one for this Node.js) says why, as Node.js put it.
    for (const stop of outcome.stops) expect(stop).toMatch(/startup snapshot/);
  });
});

describe('the Kusto parser process of a process itself started from the parser snapshot (a huntbot command)', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parser-flags-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads the parser in a process under a heap ceiling of its own, not from the snapshot that refuses one', () => {
    const script = path.join(dir, 'ask.js');
    fs.writeFileSync(
      script,
      `
      const { ParserProcess } = require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'backends', 'parser-process.js'))});
      const parser = new ParserProcess(() => undefined, { heapCeilingMb: 1024 });
      parser.warmed
        .then(() => parser.questions.check('print x = 1'))
        .then((diagnostics) => console.log(JSON.stringify({ diagnostics, starts: parser.starts })))
        .catch((error) => console.log(JSON.stringify({ error: error.message })))
        .finally(() => parser.close());
    `,
    );
    const fromSnapshot = parserSnapshotArguments(script);
    const run = spawnSync(process.execPath, fromSnapshot ?? [script], { encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(run.stdout)).toEqual({ diagnostics: [], starts: 1 });
  });
});
