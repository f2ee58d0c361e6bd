import { ParserThread } from '../../src/backends/parser-thread';

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
