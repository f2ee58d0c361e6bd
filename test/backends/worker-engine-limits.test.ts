import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBackend } from '../../src/backends/embedded-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import { type QueryBackend } from '../../src/backends/query-backend';
import { type QueryWindow } from '../../src/domain/hunt-request';
import { WorkerEngineBackend } from '../../src/backends/worker-engine-backend';
import { loadDataFolder } from '../../src/data/jsonl';
import { warmUpKql } from '../../src/kql';
import { lastDays, NOW } from '../hunts/hunt-fixtures';

// Worker threads load the engine from source and their own data: allow for a slow, shared machine.
jest.setTimeout(120_000);

const WINDOW: QueryWindow = lastDays(5);

/** Each process event on one of two devices: a self-join on DeviceId squares the rows per device. */
function processFolder(perDevice: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-limits-'));
  const rows: string[] = [];
  for (const device of ['dev-1', 'dev-2']) {
    for (let k = 0; k < perDevice; k++) {
      rows.push(
        JSON.stringify({
          Timestamp: new Date(NOW.getTime() - (k + 1) * 60_000).toISOString(),
          DeviceId: device,
          DeviceName: `${device}.contoso.local`,
          FileName: `tool-${k % 5}.exe`,
          ReportId: k,
        }),
      );
    }
  }
  fs.writeFileSync(path.join(dir, 'DeviceProcessEvents.jsonl'), `${rows.join('\n')}\n`);
  return dir;
}

async function failureOf(backend: QueryBackend, kql: string): Promise<QueryFailure> {
  try {
    await backend.run({ kql, window: WINDOW });
  } catch (error) {
    expect(error).toBeInstanceOf(QueryFailure);
    return error as QueryFailure;
  }
  throw new Error(`expected the query to fail: ${kql}`);
}

const SELF_JOIN = `DeviceProcessEvents
| join kind=inner (DeviceProcessEvents) on DeviceId
| join kind=inner (DeviceProcessEvents) on DeviceId
| summarize count() by DeviceId`;
/** Exponential backtracking inside one regular-expression call: no loop of the engine can see the clock. */
const NEVER_ENDING = `print s = '${'a'.repeat(48)}!' | where s matches regex '(a+)+$'`;
const COUNT = 'DeviceProcessEvents | count';

describe('a worker pool with a row budget and a time limit', () => {
  let dir: string;
  let backend: WorkerEngineBackend;

  beforeAll(async () => {
    // 60 events per device: the first self-join gives 7,200 rows, the second would give 432,000.
    dir = processFolder(60);
    backend = new WorkerEngineBackend({ data: { dataDir: dir }, poolSize: 1, now: () => NOW, limits: { maxRows: 100_000, timeoutMs: 1_000, memoryMb: 1_024 } });
    await backend.ready();
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a self-join hunt that multiplies rows with a message naming the join, quickly, with bounded memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const failure = await failureOf(backend, SELF_JOIN);
    expect(failure.kind).toBe('too-large');
    expect(failure.message).toBe(
      'The join at line 3, column 3 produced more than 100,000 rows (HUNT_ENGINE_MAX_ROWS), so the query was stopped.',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 2 ** 20);
  });

  it('keeps the worker that stopped the query itself, and answers the next query on it', async () => {
    expect(backend.stats()).toMatchObject({ idle: 1, replaced: 0 });
    await expect(backend.run({ kql: COUNT, window: WINDOW })).resolves.toMatchObject({ result: { rows: [[120]] } });
  });

  it('fails a query still running when the time is up with a timeout, and replaces the worker stuck in it', async () => {
    const started = performance.now();
    const failure = await failureOf(backend, NEVER_ENDING);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe(
      'The query ran longer than the 1 s the embedded engine allows (HUNT_QUERY_TIMEOUT_SECONDS); the engine worker evaluating it was stopped and replaced.',
    );
    // The limit plus the worker's own grace to report it: nowhere near the hours the query would take.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(backend.stats()).toMatchObject({ replaced: 1 });
  });

  it('answers the next query normally on the replacement worker', async () => {
    await expect(backend.run({ kql: COUNT, window: WINDOW })).resolves.toMatchObject({ result: { rows: [[120]] } });
    expect(backend.stats()).toMatchObject({ idle: 1, replaced: 1 });
  });
});

describe('a worker pool with only a time limit', () => {
  let dir: string;
  let backend: WorkerEngineBackend;

  beforeAll(async () => {
    // 200 events per device: the second self-join would build 16,000,000 rows, for minutes.
    dir = processFolder(200);
    backend = new WorkerEngineBackend({ data: { dataDir: dir }, poolSize: 1, now: () => NOW, limits: { timeoutMs: 1_000 } });
    await backend.ready();
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails a long join with a timeout the worker reports itself, and keeps the worker', async () => {
    const failure = await failureOf(backend, SELF_JOIN);
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toBe('The query ran longer than the 1 s the embedded engine allows (HUNT_QUERY_TIMEOUT_SECONDS), so it was stopped.');
    expect(backend.stats()).toMatchObject({ idle: 1, replaced: 0 });
    await expect(backend.run({ kql: COUNT, window: WINDOW })).resolves.toMatchObject({ result: { rows: [[400]] } });
  });
});

describe('the embedded engine in process (the CLI)', () => {
  let dir: string;
  let backend: EmbeddedBackend;

  beforeAll(async () => {
    dir = processFolder(60);
    backend = new EmbeddedBackend(loadDataFolder(dir), 'in process', async () => ({}), () => NOW, { maxRows: 100_000, timeoutMs: 60_000 });
    await warmUpKql();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies the same row budget with the same message', async () => {
    const failure = await failureOf(backend, SELF_JOIN);
    expect(failure.kind).toBe('too-large');
    expect(failure.message).toMatch(/^The join at line 3, column 3 produced more than 100,000 rows \(HUNT_ENGINE_MAX_ROWS\)/);
  });

  it('refuses a query whose signal is already aborted', async () => {
    await expect(backend.run({ kql: COUNT, window: WINDOW, signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
