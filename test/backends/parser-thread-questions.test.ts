import type { AnalysisReply } from '../../src/backends/kql-parser-worker';
import { ParserThread } from '../../src/backends/parser-thread';
import { kqlDatetime, kqlString } from '../../src/hunts/kql-literals';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';

/**
 * The main thread's own questions to the engine's one parser thread (the hunt catalog's and the runs'
 * checks in local mode): answered as this thread's parser would, and under the thread's failure rules
 * a question is never left waiting and never answered by nothing: it fails with why.
 */

// Each thread loads the ~100 MB Kusto parser: allow for a slow, shared machine.
jest.setTimeout(300_000);

const GOOD = "DeviceProcessEvents | where Timestamp > ago(7d) | project DeviceId, DeviceName";
const BAD = 'DeviceProcessEvents | where NoSuchColumn > 1';

describe("the parser thread answering the main thread's questions", () => {
  let parser: ParserThread;
  beforeAll(async () => {
    // The watchdog judges a stuck thread after 5 s: this thread only answers small questions (milliseconds
    // each, pings in between), and 5 s still leaves a loaded machine room to schedule it.
    parser = new ParserThread(() => undefined, { faultInjection: true, hangMs: 5_000, restartBudget: 20 });
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
    asked.forEach((kql, id) => expect(replies.get(id)).toEqual(expect.objectContaining({ analysis: analyzer.analysis(kql) })));
  });

  test('checks against the bundled schema, tokenizes, and finds a query\'s own window', async () => {
    expect(await parser.questions.check(GOOD)).toEqual([]);
    const diagnostics = await parser.questions.check(BAD);
    expect(diagnostics.some((d) => d.severity === 'Error' && /NoSuchColumn/.test(d.message))).toBe(true);
    expect(await parser.questions.tokens("T | where A == 'x' // not a token")).toEqual(['T', '|', 'where', 'A', '==', "'x'"]);
    expect((await parser.questions.timeWindow(GOOD)).lookbackMs).toBe(7 * 86_400_000);
  });

  test('a question held by a stuck thread fails saying it was stuck, and the restarted thread answers the next', async () => {
    const starts = parser.starts;
    parser.injectFault('hang');
    await expect(parser.questions.check(GOOD)).rejects.toThrow(/^the Kusto parser thread stopped: it did not answer for \d+ s \(stuck\) before answering$/);
    expect(await parser.questions.check(GOOD)).toEqual([]);
    expect(parser.starts).toBe(starts + 1);
  });
});

describe('the parser thread while it waits out a restart storm', () => {
  test('fails a question in flight with why the thread stopped, and every later question at once with when it restarts', async () => {
    const parser = new ParserThread(() => undefined, { faultInjection: true, restartBudget: 0, restartWindowMs: 600_000 });
    try {
      await parser.warmed;
      parser.injectFault('hang');
      const inFlight = parser.questions.check(GOOD);
      await parser.worker.terminate();
      await expect(inFlight).rejects.toThrow(/^the Kusto parser thread stopped: it exited with code 1 before answering$/);
      expect(parser.failure).toMatch(/it restarts at/);
      await expect(parser.questions.check(GOOD)).rejects.toThrow(parser.failure!);
      await expect(parser.questions.timeWindow(GOOD)).rejects.toThrow(/it restarts at .*run the hunt again after that$/);
    } finally {
      await parser.close();
    }
  });
});
