import type { AnalysisReply } from '../../src/backends/kql-parser-process';
import { ParserProcess } from '../../src/backends/parser-process';
import { kqlDatetime, kqlString } from '../../src/hunts/kql-literals';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';

/**
 * The main thread's own questions to the engine's one parser process (the hunt catalog's and the runs'
 * checks in local mode): answered as this thread's parser would, and under the process's failure rules
 * a question is never left waiting and never answered by nothing: it fails with why.
 */

// A process started without the parser's snapshot loads the ~100 MB Kusto parser: allow for a slow, shared machine.
jest.setTimeout(300_000);

const GOOD = "DeviceProcessEvents | where Timestamp > ago(7d) | project DeviceId, DeviceName";
const BAD = 'DeviceProcessEvents | where NoSuchColumn > 1';

describe("the parser process answering the main thread's questions", () => {
  let parser: ParserProcess;
  beforeAll(async () => {
    // The watchdog judges a stuck process after 5 s: this one only answers small questions (milliseconds
    // each, pings in between), and 5 s still leaves a loaded machine room to schedule it.
    parser = new ParserProcess(() => undefined, { faultInjection: true, hangMs: 5_000, restartBudget: 20 });
    await parser.warmed;
  });
  afterAll(() => parser.close());

  test("answers an engine worker's query patched from its shape's template once that shape was checked, as a fresh analysis would", async () => {
    parser.provideSchemas([]);
    const port = parser.connect();
    const replies = new Map<number, AnalysisReply>();
    port.on('message', (reply: AnalysisReply) => replies.set(reply.id, reply));
    const text = (device: string, day: number) =>
      `DeviceProcessEvents | where Timestamp between (${kqlDatetime(new Date(Date.UTC(2026, 10, day)))} .. ${kqlDatetime(new Date(Date.UTC(2026, 11, day, 7, 5)))}) | where DeviceName =~ ${kqlString(device)} | summarize count() by DeviceId`;
    const asked = [text('ws-1', 10), text("o'brien\\pc", 11), text('ws-0042', 12), text('сервер-😀', 13)];
    try {
      asked.forEach((kql, id) => port.postMessage({ id, kql }));
      while (replies.size < asked.length) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      port.close();
    }
    const analyzer = new KqlAnalyzer(catalogOf());
    // The first text makes the template, the second checks it against its own full analysis, the later ones are patched.
    expect(asked.map((_, id) => replies.get(id)).map((r) => r !== undefined && 'analysis' in r && r.fromTemplate === true)).toEqual([false, false, true, true]);
    // The analysis comes as JSON text, read by the engine worker: it reads as the fresh analysis.
    asked.forEach((kql, id) => {
      const reply = replies.get(id);
      expect(reply !== undefined && 'analysis' in reply ? JSON.parse(reply.analysis) : reply).toEqual(analyzer.analysis(kql));
    });
  });

  test('checks against the bundled schema, tokenizes, and finds a query\'s own window', async () => {
    expect(await parser.questions.check(GOOD)).toEqual([]);
    const diagnostics = await parser.questions.check(BAD);
    expect(diagnostics.some((d) => d.severity === 'Error' && /NoSuchColumn/.test(d.message))).toBe(true);
    expect(await parser.questions.tokens("T | where A == 'x' // not a token")).toEqual(['T', '|', 'where', 'A', '==', "'x'"]);
    expect((await parser.questions.timeWindow(GOOD)).lookbackMs).toBe(7 * 86_400_000);
  });

  test('a question held by a stuck process fails saying it was stuck, and the restarted process answers the next', async () => {
    const starts = parser.starts;
    parser.injectFault('hang');
    await expect(parser.questions.check(GOOD)).rejects.toThrow(/^the Kusto parser process stopped: it did not answer for \d+ s \(stuck\) before answering$/);
    expect(await parser.questions.check(GOOD)).toEqual([]);
    expect(parser.starts).toBe(starts + 1);
  });
});

describe('the parser process while it waits out a restart storm', () => {
  test('fails a question in flight with why the process stopped, and every later question at once with when it restarts', async () => {
    const parser = new ParserProcess(() => undefined, { faultInjection: true, restartBudget: 0, restartWindowMs: 600_000 });
    try {
      await parser.warmed;
      parser.injectFault('hang');
      const inFlight = parser.questions.check(GOOD);
      parser.process.kill('SIGKILL');
      await expect(inFlight).rejects.toThrow(/^the Kusto parser process stopped: it was stopped by SIGKILL before answering$/);
      expect(parser.failure).toMatch(/it restarts at/);
      await expect(parser.questions.check(GOOD)).rejects.toThrow(parser.failure!);
      await expect(parser.questions.timeWindow(GOOD)).rejects.toThrow(/it restarts at .*run the hunt again after that$/);
    } finally {
      await parser.close();
    }
  });
});

describe('where the parser process starts from', () => {
  test("starts from the parser's startup snapshot when the build made one for this Node.js, and answers the same either way", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the launcher is plain JavaScript, outside the TypeScript build
    const blob = (require('../../bin/parser-snapshot.js') as { usableParserSnapshot(): string | undefined }).usableParserSnapshot();
    const fromSnapshot = new ParserProcess(() => undefined);
    const withCeiling = new ParserProcess(() => undefined, { heapCeilingMb: 1024 });
    try {
      await Promise.all([fromSnapshot.warmed, withCeiling.warmed]);
      // CI's Node 24 run has no blob of its own (the build ran on Node 20): there both load the parser.
      expect(fromSnapshot.process.spawnargs.includes('--snapshot-blob')).toBe(blob !== undefined);
      if (blob !== undefined) expect(fromSnapshot.process.spawnargs).toContain(blob);
      // A heap ceiling is a V8 flag the snapshot was not built with: that process loads the parser itself.
      expect(withCeiling.process.spawnargs).not.toContain('--snapshot-blob');
      expect(withCeiling.process.spawnargs).toContain('--max-old-space-size=1024');
      for (const parser of [fromSnapshot, withCeiling]) {
        expect(await parser.questions.check(GOOD)).toEqual([]);
        expect(await parser.questions.tokens(BAD)).toEqual(['DeviceProcessEvents', '|', 'where', 'NoSuchColumn', '>', '1']);
      }
    } finally {
      await Promise.all([fromSnapshot.close(), withCeiling.close()]);
    }
  });

  test('ends with its IPC channel: closed, its process is gone', async () => {
    const parser = new ParserProcess(() => undefined);
    await parser.warmed;
    const pid = parser.process.pid!;
    await parser.close();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
