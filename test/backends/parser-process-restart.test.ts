import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { QueryFailure } from '../../src/domain/query-failure';
import { type ParserChange, WorkerEngineBackend } from '../../src/backends/worker-engine-backend';
import type { ParserProcessOptions } from '../../src/backends/parser-process';
import type { ParserFault } from '../../src/backends/kql-parser-process';
import { lastDays, NOW } from '../hunts/hunt-fixtures';
import { writeThreeCertificateFolder } from '../support/telemetry-fixture';

// Every restart starts a new parser process (under a heap ceiling without the parser's snapshot, loading the ~100 MB Kusto parser): allow for a slow, shared machine.
jest.setTimeout(300_000);

const WINDOW = lastDays(5);
const COUNT = 'DeviceFileCertificateInfo | count';

function pool(dir: string, parser: ParserProcessOptions, onParserChange?: (change: ParserChange) => void): WorkerEngineBackend {
  return new WorkerEngineBackend({ data: { dataDir: dir }, poolSize: 1, now: () => NOW, parser: { faultInjection: true, ...parser }, onParserChange });
}

async function rows(backend: WorkerEngineBackend): Promise<unknown> {
  return (await backend.run({ kql: COUNT, window: WINDOW })).result.rows;
}

/** Kills the process and waits for its exit (which the pool has seen by then: its own listener came first). */
async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function failureOf(promise: Promise<unknown>): Promise<QueryFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(QueryFailure);
    return error as QueryFailure;
  }
  throw new Error('expected the query to fail');
}

/** The process acts out `fault` and dies; the pool says why (`why`), starts another, and the next hunt is answered. */
async function expectRestartAfter(backend: WorkerEngineBackend, fault: ParserFault, why: RegExp): Promise<void> {
  const parser = backend.parserProcess;
  const child = parser.process;
  parser.injectFault(fault);
  await new Promise((resolve) => child.once('exit', resolve));
  expect(parser.lastStop).toMatch(why);
  expect(parser.failure).toBeUndefined();
  expect(await rows(backend)).toEqual([[3]]);
  expect(parser.process).not.toBe(child);
}

/** A pool on the three-certificate folder, closed (and its folder removed) after the describe it is made in. */
function poolPerDescribe(parser: ParserProcessOptions, onParserChange?: (change: ParserChange) => void): { backend: () => WorkerEngineBackend } {
  let dir: string;
  let backend: WorkerEngineBackend;
  beforeAll(async () => {
    dir = writeThreeCertificateFolder(NOW, 'parser-restart-');
    backend = pool(dir, parser, onParserChange);
    await backend.ready();
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { backend: () => backend };
}

describe('the engine pool when its Kusto parser process hangs', () => {
  // A warm, idle process answers a ping in milliseconds; 5 s still leaves a loaded machine room to
  // schedule it. (The pool below, whose process fills its heap, needs the long watchdog.)
  const { backend } = poolPerDescribe({ hangMs: 5_000, restartBudget: 20 });

  it('fails the hunt a stuck parser process holds, saying it was stuck, instead of waiting forever, and answers the next hunt on a restarted process', async () => {
    const parser = backend().parserProcess;
    const starts = parser.starts;
    parser.injectFault('hang');
    const failure = await failureOf(backend().run({ kql: COUNT, window: WINDOW }));
    expect(failure.kind).toBe('internal');
    expect(failure.message).toMatch(
      /^The embedded engine could not analyse the query: the Kusto parser process stopped: it did not answer for \d+ s \(stuck\) before answering; it was restarted, so run the hunt again$/,
    );
    expect(await rows(backend())).toEqual([[3]]);
    expect(parser.starts).toBe(starts + 1);
  });

  it('fails a hunt in flight when the real process is killed, and answers the next one', async () => {
    const parser = backend().parserProcess;
    // Held in the process (stuck) so the question is surely in flight when the process goes.
    parser.injectFault('hang');
    const running = failureOf(backend().run({ kql: COUNT, window: WINDOW }));
    // Passed on to the process (stuck, so it never answers).
    while (parser.analysesInFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    parser.process.kill('SIGKILL');
    const failure = await running;
    expect(failure.message).toMatch(/the Kusto parser process stopped: it was stopped by SIGKILL before answering; it was restarted, so run the hunt again$/);
    expect(await rows(backend())).toEqual([[3]]);
  });
});

describe('the engine pool when its Kusto parser process dies', () => {
  // No heap ceiling, as a bot's: each process starts from the parser's snapshot (when the build made one), warm in a fraction of a second.
  const { backend } = poolPerDescribe({ restartBudget: 20 });

  it.each([
    ['throws an uncaught error', 'crash', /^the Kusto parser process stopped: injected crash in the Kusto parser process$/],
    ['calls process.exit', 'exit', /^the Kusto parser process stopped: it exited with code 7$/],
  ] as const)('restarts a process that %s, says why it stopped, and answers the next hunt', (_, fault, why) => expectRestartAfter(backend(), fault, why));
});

// Under a heap ceiling a process starts without the snapshot (it loads the parser itself), and fills its heap in seconds.
describe('the engine pool when its Kusto parser process dies under a heap ceiling', () => {
  // A process filling its heap answers no ping either (collecting the parser's large heap, again and
  // again): the watchdog leaves it time to reach the ceiling on a loaded machine.
  const { backend } = poolPerDescribe({ hangMs: 20_000, heapCeilingMb: 512, restartBudget: 20 });

  it('restarts a process that runs out of memory, says why it stopped, and answers the next hunt', () =>
    expectRestartAfter(backend(), 'out-of-memory', /^the Kusto parser process stopped: it ran out of memory$/));
});

describe('an engine pool whose parser process keeps dying (a restart storm)', () => {
  // The second stop must come within the window of the first, after a restart (1.5-3 s to warm here,
  // more on a loaded machine) and a hunt; the test then waits out the rest of the window.
  const WINDOW_MS = 15_000;
  const changes: ParserChange[] = [];
  const pooled = poolPerDescribe({ restartBudget: 1, restartWindowMs: WINDOW_MS }, (change) => changes.push(change));

  it('restarts it within its budget, then stops restarting, fails hunts at once saying when it restarts, and restarts when the window has passed', async () => {
    const backend = pooled.backend();
    const parser = backend.parserProcess;
    const starts = parser.starts;
    await killed(parser.process);
    // Within the budget: restarted, and the next hunt is answered on the new (warm) process.
    expect(await rows(backend)).toEqual([[3]]);
    expect(parser.starts).toBe(starts + 1);

    await killed(parser.process);
    expect(parser.starts).toBe(starts + 1);
    expect(parser.failure).toMatch(/^the Kusto parser process stopped 2 times within 15 s \(last: it was stopped by SIGKILL\); it restarts at \d{4}-\d\d-\d\dT[\d:.]+Z, run the hunt again after that$/);
    const asked = Date.now();
    const failure = await failureOf(backend.run({ kql: COUNT, window: WINDOW }));
    expect(failure.message).toContain(parser.failure);
    expect(Date.now() - asked).toBeLessThan(5_000);
    // Operators are told too: the change is reported (for the log) and readiness fails with the reason.
    expect(changes.map((c) => c.failure)).toEqual([undefined, parser.failure]);
    await expect(backend.available()).rejects.toThrow(parser.failure);
    // A worker started meanwhile (replacing a cancelled one) gets a port the main thread answers with the reason.
    const port = parser.connect();
    const reply = new Promise((resolve) => port.once('message', resolve));
    port.postMessage({ id: 1, kql: COUNT });
    expect(await reply).toEqual({ id: 1, error: parser.failure });
    port.close();

    // The cool-down ends within the window; then the process is started again and answers.
    const until = Date.parse(/restarts at (\S+),/.exec(parser.failure ?? '')?.[1] ?? '');
    expect(until - Date.now()).toBeLessThanOrEqual(WINDOW_MS);
    while (parser.failure !== undefined) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect(parser.starts).toBe(starts + 2);
    expect(await rows(backend)).toEqual([[3]]);
    expect(changes.at(-1)).toEqual(expect.objectContaining({ failure: undefined, starts: starts + 2 }));
    await expect(backend.available()).resolves.toBeUndefined();
  });
});
