import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalyserOnDemand, AnalysisProcess, analyserThrough } from '../../src/cli/analysis-process';
import { ANALYSER_HERE, type QueryAnalyser } from '../../src/cli/query-answer';
import { KqlDatabase, analyzerFor, warmUpKql } from '../../src/kql';
import type { TableSchema } from '../../src/kql/schema';
import { ensureParserSnapshot } from '../support/parser-snapshot-blob';

/**
 * `huntbot query`'s analysis process (bin/kql-analyser.js started from the parser's snapshot) answers
 * what this process's parser answers, and a query is still analysed when that process cannot answer.
 * Runs the built code: `npm test` builds first.
 */

const CUSTOM: TableSchema = { name: 'ContosoVpn_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Client_s', type: 'string' }] };
const QUERIES: Array<[string, TableSchema[]]> = [
  ["DeviceProcessEvents | where FileName =~ 'powershell.exe' | summarize count() by DeviceName, bin(Timestamp, 1h)", []],
  ["ContosoVpn_CL | where Client_s has 'Contoso' | project TimeGenerated, real(+inf), -0.0", [CUSTOM]],
  ['DeviceProcessEvents | where NoSuchColumn == 1 | summarize by', []],
];

/** A process that takes the question and ends without answering. */
const ENDS_WHEN_ASKED = ['-e', "process.once('message', () => process.exit(3))"];

let analysisProcess: AnalysisProcess | undefined;

beforeAll(async () => {
  ensureParserSnapshot();
  await warmUpKql();
});

afterEach(() => analysisProcess?.close());

test.each(QUERIES)('analyses %s exactly as this process\'s parser does, over the data\'s own tables too', async (kql, extraSchemas) => {
  analysisProcess = AnalysisProcess.fromParserSnapshot();
  expect(analysisProcess).toBeDefined();
  expect(await analysisProcess!.analyse(kql, extraSchemas)).toEqual(analyzerFor(extraSchemas).analysis(kql));
});

test('answers several questions in turn, then ends when let go', async () => {
  analysisProcess = AnalysisProcess.fromParserSnapshot()!;
  const answers = await Promise.all(QUERIES.map(([kql, extraSchemas]) => analysisProcess!.analyse(kql, extraSchemas)));
  expect(answers.map((analysis) => analysis.text)).toEqual(QUERIES.map(([kql]) => kql));
  analysisProcess.close();
  await expect(analysisProcess.analyse('print 1', [])).rejects.toThrow(/^the analysis process (stopped|could not be asked)/);
});

test('is not started when HUNTBOT_PARSER_SNAPSHOT=0', () => {
  process.env.HUNTBOT_PARSER_SNAPSHOT = '0';
  try {
    expect(AnalysisProcess.fromParserSnapshot()).toBeUndefined();
  } finally {
    delete process.env.HUNTBOT_PARSER_SNAPSHOT;
  }
});

test('rejects, saying why, when the process ends before it answers', async () => {
  analysisProcess = new AnalysisProcess(ENDS_WHEN_ASKED);
  await expect(analysisProcess.analyse('print 1', [])).rejects.toThrow('the analysis process stopped: it exited with code 3');
  await expect(analysisProcess.analyse('print 2', [])).rejects.toThrow('the analysis process stopped: it exited with code 3');
});

test('a query is still analysed, here, when the analysis process cannot answer', async () => {
  analysisProcess = new AnalysisProcess(ENDS_WHEN_ASKED);
  const db = KqlDatabase.fromRows({ DeviceProcessEvents: [] });
  const [kql] = QUERIES[0];
  expect(await analyserThrough(analysisProcess, ANALYSER_HERE).analyse(db, kql)).toEqual(analyzerFor([]).analysis(kql));
});

test('the query asked at once is answered for data of bundled tables, and asked again for data with tables of its own', async () => {
  analysisProcess = AnalysisProcess.fromParserSnapshot()!;
  const kql = 'union DeviceProcessEvents, (ContosoVpn_CL | extend DeviceName = Client_s) | summarize count() by DeviceName';
  const analyser = analyserThrough(analysisProcess, ANALYSER_HERE, kql);
  const bundledOnly = KqlDatabase.fromRows({ DeviceProcessEvents: [] });
  const withOwnTable = KqlDatabase.fromRows({ DeviceProcessEvents: [], ContosoVpn_CL: [{ TimeGenerated: '2024-05-31T10:00:00Z', Client_s: 'wks-1' }] });
  expect(withOwnTable.extraSchemas().map((schema) => schema.name)).toEqual(['ContosoVpn_CL']);
  // Over bundled tables only, ContosoVpn_CL is unknown (KS204); over the data's own, it is not.
  const early = await analyser.analyse(bundledOnly, kql);
  expect(early).toEqual(analyzerFor([]).analysis(kql));
  expect(early.diagnostics.map((d) => d.code)).toContain('KS204');
  const again = await analyser.analyse(withOwnTable, kql);
  expect(again).toEqual(analyzerFor(withOwnTable.extraSchemas()).analysis(kql));
  expect(again.diagnostics.filter((d) => d.severity === 'Error')).toEqual([]);
});

test('a query kept only for other data is analysed by a process started when the data needs it, not by this one', async () => {
  const notHere: QueryAnalyser = { analyse: () => Promise.reject(new Error('analysed in this process')) };
  const onDemand = new AnalyserOnDemand(notHere);
  const kql = 'ContosoVpn_CL | summarize count() by Client_s';
  const db = KqlDatabase.fromRows({ DeviceProcessEvents: [], ContosoVpn_CL: [{ TimeGenerated: '2024-05-31T10:00:00Z', Client_s: 'wks-1' }] });
  try {
    expect(await onDemand.analyse(db, kql)).toEqual(analyzerFor(db.extraSchemas()).analysis(kql));
  } finally {
    onDemand.close();
  }
});

describe('the analysis process seen from a command that has nothing else to wait for', () => {
  const ROOT = path.resolve(__dirname, '../..');
  const BUILT = JSON.stringify(path.join(ROOT, 'dist', 'src', 'cli', 'analysis-process.js'));

  /** Runs `script` in a plain Node.js process, as `huntbot query` runs: its output, and that of any process it started. */
  function runAlone(script: string): { status: number | null; stdout: string; stderr: string } {
    return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  }

  test('a question the process ends without answering is rejected, not left to end this process with 0 and nothing said', () => {
    const run = runAlone(`const { AnalysisProcess } = require(${BUILT});
new AnalysisProcess(['-e', "process.once('message', () => process.exit(3))"]).analyse('print 1', []).then(
  () => console.log('answered'),
  (error) => { console.log(error.message); process.exitCode = 1; },
);`);
    expect(run.stdout).toMatch(/^the analysis process stopped: /);
    expect(run.status).toBe(1);
  });

  test('letting go of the process while it still makes an analysis prints nothing (a query whose data failed to load)', () => {
    const run = runAlone(`const { AnalysisProcess } = require(${BUILT});
const analysisProcess = AnalysisProcess.fromParserSnapshot();
analysisProcess.analyse('DeviceProcessEvents' + ' | extend x = 1'.repeat(50), []).catch(() => undefined);
analysisProcess.close();`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('a command stopped by a signal while a question waits stops its busy analysis process too, and ends by that signal', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-signal-')), 'pid');
    // A process that, once asked, never looks at its channel again: as one deep in a long analysis.
    const busy = `process.once('message', () => { require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); for (;;); })`;
    const command = spawn(process.execPath, ['-e', `const { AnalysisProcess } = require(${BUILT});
new AnalysisProcess(['-e', ${JSON.stringify(busy)}]).analyse('print 1', []).catch(() => undefined);`]);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => command.once('exit', (_, signal) => resolve(signal)));
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 50));
    const busyPid = Number(fs.readFileSync(pidFile, 'utf8'));
    command.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    const alive = (): boolean => {
      try {
        process.kill(busyPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // It is stopped at once; the ceiling only keeps a failing run from spinning on.
    const ceiling = Date.now() + 30_000;
    try {
      while (alive() && Date.now() < ceiling) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      if (alive()) process.kill(busyPid, 'SIGKILL');
    }
    expect(alive()).toBe(false);
  });
});

describe('huntbot query with its analysis process, against the same command analysing in its own process', () => {
  const BIN = path.resolve(__dirname, '../../bin/huntbot.js');
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-process-cli-'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'DeviceProcessEvents.jsonl'), `${JSON.stringify({ Timestamp: '2024-05-31T10:00:00Z', DeviceName: 'wks-1' })}\n`);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `huntbot query ARGS` with an empty analysis cache, and whatever any process it started printed. */
  function query(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const cache = fs.mkdtempSync(path.join(dir, 'cache-'));
    const run = spawnSync(process.execPath, [BIN, 'query', ...args], { encoding: 'utf8', env: { ...process.env, HUNT_CACHE_DIR: cache, ...env } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  // Deeper than V8's serializer recurses (~1,000 operators: the parser says KS245), as a generated or pasted query can be.
  test.each([1_000, 1_500])('a query %i operators deep gets the answer the command gives analysing in its own process', (depth) => {
    const kql = `DeviceProcessEvents${' | extend x = 1'.repeat(depth)} | count`;
    const args = ['--data', path.join(dir, 'data'), kql];
    expect(query(args)).toEqual(query(args, { HUNTBOT_PARSER_SNAPSHOT: '0' }));
  });

  test('data that cannot be read is said once, and nothing is printed after the command ends', () => {
    const run = query(['--data', path.join(dir, 'no-such-folder'), `DeviceProcessEvents${' | extend x = 1'.repeat(50)}`]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^huntbot query: [^\n]*no-such-folder[^\n]*\n$/);
  });
});
