import { totalmem } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { KqlDatabase, KqlEngine, KqlLimitError, warmUpKql, type QueryLimits } from '../../src/kql';
import { NOW, type Rows } from './helpers';
import { runInNewContext } from 'node:vm';
import * as path from 'node:path';
import { startThread } from '../../src/backends/worker-thread';
import { limitFailure } from '../../src/backends/embedded-backend';
import type { MemoryLimitInThread, MemoryLimitOutcome } from '../support/memory-limit-in-thread';

beforeAll(warmUpKql);

/** `count` process events on each of `devices` devices: a self-join on DeviceId yields count² rows per device. */
function processRows(devices: number, count: number): Rows {
  const rows: Array<Record<string, unknown>> = [];
  for (let d = 0; d < devices; d++) {
    for (let k = 0; k < count; k++) {
      rows.push({
        Timestamp: new Date(NOW.getTime() - (k + 1) * 60_000).toISOString(),
        DeviceId: `dev-${d}`,
        DeviceName: `host-${d}`,
        FileName: `proc-${k % 7}.exe`,
        ProcessCommandLine: `proc-${k % 7}.exe --run ${k}`,
        ReportId: d * count + k,
      });
    }
  }
  return { DeviceProcessEvents: rows };
}

const engine = new KqlEngine(KqlDatabase.fromRows(processRows(2, 200)));
/** 2 devices × 60 rows: a self-join on DeviceId gives 7,200 rows, a second one 432,000. */
const sixtyPerDevice = new KqlEngine(KqlDatabase.fromRows(processRows(2, 60)));

function limitErrorOf(kql: string, limits: QueryLimits, over = engine): KqlLimitError {
  try {
    over.query(kql, { now: NOW, limits });
  } catch (error) {
    expect(error).toBeInstanceOf(KqlLimitError);
    return error as KqlLimitError;
  }
  throw new Error(`expected the query to be stopped: ${kql}`);
}

const SELF_JOIN = `DeviceProcessEvents
| join kind=inner (DeviceProcessEvents) on DeviceId
| join kind=inner (DeviceProcessEvents) on DeviceId
| count`;

describe('the row budget of one query', () => {
  it('stops a self-join that multiplies rows, naming the join by line and column, at once', () => {
    const started = performance.now();
    const error = limitErrorOf(SELF_JOIN, { maxRows: 100_000 }, sixtyPerDevice);
    expect(error.limit).toBe('rows');
    expect(error.message).toBe('the join at line 3, column 3 produced more than 100,000 rows');
    // Unlimited, the second join would build 432,000 rows of every DeviceProcessEvents column (tens of seconds).
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('names the first join when already that one is too large', () => {
    expect(limitErrorOf(SELF_JOIN, { maxRows: 5_000 }, sixtyPerDevice).message).toBe('the join at line 2, column 3 produced more than 5,000 rows');
  });

  it('answers the same query exactly when it stays within the budget', () => {
    const small = new KqlEngine(KqlDatabase.fromRows(processRows(2, 10)));
    const limited = small.query(SELF_JOIN, { now: NOW, limits: { maxRows: 2_000, timeoutMs: 60_000 } });
    expect(limited.rows).toEqual([[2 * 10 ** 3]]);
    expect(limited).toEqual(small.query(SELF_JOIN, { now: NOW }));
  });

  it('counts exactly: an operator may produce the budget itself but not one row more', () => {
    const oneJoin = 'DeviceProcessEvents | project DeviceId | join kind=inner (DeviceProcessEvents | project DeviceId) on DeviceId | count';
    expect(engine.query(oneJoin, { now: NOW, limits: { maxRows: 80_000 } }).rows).toEqual([[80_000]]);
    expect(limitErrorOf(oneJoin, { maxRows: 79_999 }).limit).toBe('rows');
  });

  it.each([
    ['lookup', 'DeviceProcessEvents | lookup kind=inner (DeviceProcessEvents | project DeviceId, Other = FileName) on DeviceId | count', 'the lookup at line 1, column 23'],
    ['mv-expand', "DeviceProcessEvents | extend Parts = split(ProcessCommandLine, ' ') | mv-expand Parts | count", 'the mv-expand at line 1, column 71'],
    ['union', 'union DeviceProcessEvents, DeviceProcessEvents, DeviceProcessEvents | count', 'the union at line 1, column 1'],
    ['summarize', 'DeviceProcessEvents | summarize count() by ReportId | count', 'the summarize at line 1, column 23'],
    ['sort', 'DeviceProcessEvents | sort by Timestamp desc | take 1', 'the sort at line 1, column 23'],
    ['top', 'DeviceProcessEvents | top 1 by Timestamp desc', 'the top at line 1, column 23'],
    ['range', 'range x from 1 to 1000 step 1 | count', 'the range at line 1, column 1'],
  ])('stops a %s that materializes more rows than the budget', (_operator, kql, named) => {
    const error = limitErrorOf(kql, { maxRows: 399 });
    expect(error.limit).toBe('rows');
    expect(error.message).toMatch(new RegExp(`^${named} produced more than 399 rows$`));
  });

  it('counts the elements make_list and make_set collect, not only the rows they read', () => {
    const kql = "DeviceProcessEvents | extend Parts = split(ProcessCommandLine, ' ') | summarize All = make_list(Parts) by DeviceId";
    expect(limitErrorOf(kql, { maxRows: 1_000 }).message).toBe('make_list at line 1, column 87 collected more than 1,000 values');
    expect(engine.query(kql, { now: NOW, limits: { maxRows: 1_200 } }).rows).toHaveLength(2);
  });

  it('leaves operators that only select rows alone, however large their input', () => {
    const result = engine.query('DeviceProcessEvents | where FileName != "x" | project DeviceId | extend D = strcat(DeviceId, "!") | take 400 | count', {
      now: NOW,
      limits: { maxRows: 10 },
    });
    expect(result.rows).toEqual([[400]]);
  });
});

describe('the time limit of one query', () => {
  it('stops a join that is still producing rows when the time is up', () => {
    const started = performance.now();
    // 400 × 400 × 400 = 64,000,000 pairs: seconds of work, stopped after 50 ms.
    const error = limitErrorOf(SELF_JOIN, { maxRows: 1e9, timeoutMs: 50 });
    expect(error.limit).toBe('time');
    expect(error.message).toBe('the query ran longer than 50 ms');
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('is stopped before it starts by a signal that is already aborted', () => {
    const error = limitErrorOf('DeviceProcessEvents | count', { signal: AbortSignal.abort() });
    expect(error.limit).toBe('cancelled');
    expect(error.message).toBe('the query was cancelled');
  });
});

describe('the memory limit of one query', () => {
  // Memory in use is measured right after a full collection: garbage counted at the start and freed during the
  // query would otherwise hide the query's own growth (these tests share a jest worker with other files).
  setFlagsFromString('--expose-gc');
  const collectGarbage = runInNewContext('gc') as () => void;
  const inUseMb = () => {
    collectGarbage();
    const heap = getHeapStatistics();
    return Math.ceil((heap.used_heap_size + heap.external_memory) / 2 ** 20);
  };

  it('refuses to start when this thread already holds more memory than allowed', () => {
    const error = limitErrorOf('DeviceProcessEvents | summarize count() by DeviceId', { maxMemoryMb: 1 });
    expect(error.limit).toBe('memory');
    expect(error.message).toMatch(/^the query ran out of memory: \d[\d,]* MB in use, more than the 1 MB allowed$/);
  });

  it('stops the operator that is filling the memory, naming it', () => {
    // A million distinct 60-character strings and their dictionary: far more than 40 MB above what was in use,
    // even when a collection during the query frees garbage the starting figure counted; the range takes ~8 MB.
    const kql = "range x from 1 to 1000000 step 1 | extend s = strcat('a-value-long-enough-to-fill-memory-quickly-', tostring(x)) | count";
    const error = limitErrorOf(kql, { maxMemoryMb: inUseMb() + 40 });
    expect(error.limit).toBe('memory');
    expect(error.message).toMatch(/^the query ran out of memory at the extend at line 1, column 36: \d[\d,]* MB in use, more than the \d[\d,]* MB allowed$/);
  });

  it('stops a join before it allocates matched rows that would pass the limit, naming the join', () => {
    // 2 devices × 200 rows: the second self-join matches 16,000,000 pairs, 123 MB of row numbers for the two sides.
    const kql = `DeviceProcessEvents | project DeviceId
| join kind=inner (DeviceProcessEvents | project DeviceId) on DeviceId
| join kind=inner (DeviceProcessEvents | project DeviceId) on DeviceId
| count`;
    const error = limitErrorOf(kql, { maxMemoryMb: inUseMb() + 80 });
    expect(error.limit).toBe('memory');
    expect(error.message).toMatch(/^the query ran out of memory: the join at line 3, column 3 needed 123 MB at once, which would pass the \d[\d,]* MB allowed$/);
    // The responder is told which setting decided.
    expect(limitFailure(error, {}).message).toMatch(/MB allowed \(HUNT_ENGINE_WORKER_MEMORY_MB\), so it was stopped\.$/);
  });

  it('fails a join whose matches would need more memory than the machine has as out of memory, without any limit set', () => {
    // n × n rows on one key: n² pairs of two 4-byte row numbers, more than the machine's memory. Counted in n steps, never built.
    const n = Math.ceil(Math.sqrt(totalmem() / 8)) + 1_000;
    const kql = `range x from 1 to ${n} step 1 | extend k = 1 | join kind=inner (range y from 1 to ${n} step 1 | extend k = 1) on k | count`;
    const error = limitErrorOf(kql, {});
    expect(error.limit).toBe('memory');
    const mb = Math.ceil((n * n * 8) / 2 ** 20).toLocaleString('en-US');
    expect(error.message).toBe(`the query ran out of memory: the join at line 1, column ${kql.indexOf('join') + 1} needed ${mb} MB at once, more than this machine has`);
    // No setting could have allowed it, so none is named.
    expect(limitFailure(error, {}).message).toBe(`The query ran out of memory: the join at line 1, column ${kql.indexOf('join') + 1} needed ${mb} MB at once, more than this machine has, so it was stopped.`);
  });

  it('stops building a result too large for the memory, after every operator passed', async () => {
    // The range takes about 16–25 MB while it builds its column; its result, a million one-cell rows, several times that. In a thread of
    // its own: in a shared jest worker, memory earlier files left behind could be freed mid-query and hide the growth.
    const settings: MemoryLimitInThread = { kql: 'range x from 1 to 1000000 step 1', headroomMb: 48 };
    const thread = startThread(path.join(__dirname, '..', 'support'), 'memory-limit-in-thread', settings);
    const outcome = await new Promise<MemoryLimitOutcome>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    await thread.terminate();
    expect(outcome).toEqual({ stopped: true, limit: 'memory', message: expect.stringMatching(/^the query ran out of memory: \d[\d,]* MB in use, more than the \d[\d,]* MB allowed$/) });
  });
});
