import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedBackend } from '../../src/backends/embedded-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import { type QueryBackend } from '../../src/backends/query-backend';
import { type QueryWindow } from '../../src/domain/hunt-request';
import { WorkerEngineBackend } from '../../src/backends/worker-engine-backend';
import { generateTelemetry } from '../../src/data/generator';
import { loadDataFolder } from '../../src/data/jsonl';
import { renderHuntQuery } from '../../src/hunts/render';
import { warmUpKql } from '../../src/kql';
import { catalogWithoutAnalysis, huntNamed, lastDays, NOW } from '../hunts/hunt-fixtures';
import { deferred } from '../scheduling/deferred';
import { writeThreeCertificateFolder } from '../support/telemetry-fixture';

// Worker threads load the engine from source and load their own data: allow for a slow CI machine.
jest.setTimeout(120_000);

const WINDOW: QueryWindow = lastDays(5);
const DESKTOPNOW = renderHuntQuery(huntNamed(catalogWithoutAnalysis(), 'desktopnow', 'filesig'), { window: WINDOW });
/** Exponential backtracking: a query the synchronous engine would evaluate for hours. */
const NEVER_ENDING = `print s = '${'a'.repeat(48)}!' | where s matches regex '(a+)+$'`;

async function failureOf(backend: QueryBackend, kql: string): Promise<{ kind: string; message: string; details: unknown }> {
  try {
    await backend.run({ kql, window: WINDOW });
  } catch (error) {
    expect(error).toBeInstanceOf(QueryFailure);
    const failure = error as QueryFailure;
    return { kind: failure.kind, message: failure.message, details: failure.details };
  }
  throw new Error(`expected the query to fail: ${kql}`);
}

/**
 * A data folder of generated telemetry: every table, the planted RMM activity and a background, at a
 * fifth of the full sample's rows (generating the full sample twice, in a loader thread and in
 * process, was most of this file's time; the bot's end-to-end tests run the sample in workers).
 */
function telemetryFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-engine-telemetry-'));
  for (const [table, rows] of Object.entries(generateTelemetry({ now: NOW, rows: 10_000, devices: 100 }))) {
    fs.writeFileSync(path.join(dir, `${table}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n'));
  }
  return dir;
}

/** Settles every pending promise callback (no clock involved). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WorkerEngineBackend over generated telemetry', () => {
  let watchlists: Record<string, Array<Record<string, unknown>>> = {};
  let dir: string;
  let backend: WorkerEngineBackend;
  let inProcess: EmbeddedBackend;

  beforeAll(async () => {
    dir = telemetryFolder();
    backend = new WorkerEngineBackend({
      data: { dataDir: dir },
      poolSize: 2,
      watchlists: async () => watchlists,
      now: () => NOW,
    });
    inProcess = new EmbeddedBackend(loadDataFolder(dir), 'in process', async () => ({}), () => NOW);
    await Promise.all([backend.ready(), warmUpKql()]);
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is the embedded backend, described by its data folder', () => {
    expect(backend.name).toBe('embedded');
    expect(backend.description).toBe(`embedded engine over ${dir}`);
  });

  it('answers the DesktopNow hunt exactly as the in-process engine does', async () => {
    const [inWorker, reference] = await Promise.all([backend.run({ kql: DESKTOPNOW, window: WINDOW }), inProcess.run({ kql: DESKTOPNOW, window: WINDOW })]);
    expect(reference.result.rows.length).toBeGreaterThan(0);
    expect(inWorker.result).toEqual(reference.result);
    expect(inWorker.durationMs).toBeGreaterThan(0);
  });

  it('answers two queries at once, one per worker, with the same data in each', async () => {
    const first = backend.run({ kql: DESKTOPNOW, window: WINDOW });
    const second = backend.run({ kql: DESKTOPNOW, window: WINDOW });
    expect(backend.stats()).toMatchObject({ busy: 2, waiting: 0 });
    const [a, b] = await Promise.all([first, second]);
    expect(a.result).toEqual(b.result);
    expect(backend.stats()).toMatchObject({ idle: 2, busy: 0 });
  });

  it('answers from the one shared copy of the data in every worker: each of two workers returns every column of every table as the in-process engine does', async () => {
    const everyColumn = 'union withsource=T DeviceInfo, DeviceFileCertificateInfo, DeviceProcessEvents, DeviceNetworkEvents | sort by T asc, ReportId asc, Timestamp asc | take 400';
    const first = backend.run({ kql: everyColumn, window: WINDOW });
    const second = backend.run({ kql: everyColumn, window: WINDOW });
    expect(backend.stats()).toMatchObject({ busy: 2 });
    const reference = await inProcess.run({ kql: everyColumn, window: WINDOW });
    expect(reference.result.rows).toHaveLength(400);
    expect((await first).result).toEqual(reference.result);
    expect((await second).result).toEqual(reference.result);
  });

  it("sends each query the backend's now() and a fresh watchlist snapshot", async () => {
    watchlists = { exclusions: [{ SearchKey: 'rmm/desktopnow|dev-1' }, { SearchKey: 'rmm/desktopnow|dev-2' }] };
    const outcome = await backend.run({ kql: "print At = now(), Tags = toscalar(_GetWatchlist('exclusions') | count)", window: WINDOW });
    expect(outcome.result.rows).toEqual([['2026-11-28T03:00:00.0000000Z', 2]]);
    watchlists = {};
    const after = await backend.run({ kql: "print Tags = toscalar(_GetWatchlist('exclusions') | count)", window: WINDOW });
    expect(after.result.rows).toEqual([[0]]);
  });

  it.each([
    ['invalid-query', 'DeviceInfo\n| where DevicId == "x"'],
    ['unsupported', 'DeviceInfo | evaluate autocluster()'],
    ['internal', "DeviceInfo | where DeviceId matches regex '(unclosed'"],
  ])('fails with %s, message and details just as the in-process engine does', async (kind, kql) => {
    const [inWorker, reference] = await Promise.all([failureOf(backend, kql), failureOf(inProcess, kql)]);
    expect(reference.kind).toBe(kind);
    expect(inWorker).toEqual(reference);
  });

  it('refuses a query whose signal is already aborted, without a worker', async () => {
    await expect(backend.run({ kql: DESKTOPNOW, window: WINDOW, signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.stats()).toMatchObject({ idle: 2, replaced: 0 });
  });
});

describe('WorkerEngineBackend with one worker', () => {
  const snapshots: string[] = [];
  let hold = deferred<void>();
  let dir: string;
  let backend: WorkerEngineBackend;
  const count = (label: string) => `DeviceFileCertificateInfo | count | extend Label = '${label}'`;

  beforeAll(() => {
    dir = writeThreeCertificateFolder(NOW, 'worker-engine-');
    backend = new WorkerEngineBackend({
      data: { dataDir: dir },
      poolSize: 1,
      // The snapshot is taken once a worker is reserved, just before the query is sent: holding it
      // keeps the worker busy for as long as a test needs.
      watchlists: async () => {
        snapshots.push(`snapshot ${snapshots.length + 1}`);
        await hold.promise;
        return {};
      },
      now: () => NOW,
    });
    return backend.ready();
  });
  afterAll(async () => {
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes its data folder', () => {
    expect(backend.description).toBe(`embedded engine over ${dir}`);
  });

  it('makes extra queries wait for the busy worker and answers them in arrival order', async () => {
    hold = deferred<void>();
    snapshots.length = 0;
    const answered: string[] = [];
    const queries = ['first', 'second', 'third'].map((label) =>
      backend.run({ kql: count(label), window: WINDOW }).then((outcome) => {
        answered.push(String(outcome.result.rows[0][1]));
        return outcome;
      }),
    );
    expect(backend.stats()).toMatchObject({ busy: 1, waiting: 2 });
    hold.resolve();
    const outcomes = await Promise.all(queries);
    expect(answered).toEqual(['first', 'second', 'third']);
    expect(outcomes.map((o) => o.result.rows[0][0])).toEqual([3, 3, 3]);
    expect(snapshots).toEqual(['snapshot 1', 'snapshot 2', 'snapshot 3']);
  });

  it('drops a query cancelled while it waits, leaving the worker alone', async () => {
    hold = deferred<void>();
    const running = backend.run({ kql: count('running'), window: WINDOW });
    const cancel = new AbortController();
    const waiting = backend.run({ kql: count('waiting'), window: WINDOW, signal: cancel.signal });
    expect(backend.stats()).toMatchObject({ busy: 1, waiting: 1 });

    cancel.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.stats()).toMatchObject({ busy: 1, waiting: 0 });
    hold.resolve();
    await expect(running).resolves.toMatchObject({ result: { rows: [[3, 'running']] } });
    expect(backend.stats()).toMatchObject({ replaced: 0 });
  });

  it('stops the worker evaluating a cancelled query and answers the next query on its replacement', async () => {
    hold = deferred<void>();
    const cancel = new AbortController();
    const stuck = backend.run({ kql: NEVER_ENDING, window: WINDOW, signal: cancel.signal });
    stuck.catch(() => undefined);
    hold.resolve();
    await flush(); // the query is now with the worker, which cannot be interrupted

    cancel.abort();
    await expect(stuck).rejects.toMatchObject({ kind: 'cancelled', message: expect.stringContaining('worker evaluating it was stopped') });
    expect(backend.stats()).toMatchObject({ loading: 1, replaced: 1 });
    const next = await backend.run({ kql: count('after'), window: WINDOW });
    expect(next.result.rows).toEqual([[3, 'after']]);
    expect(backend.stats()).toMatchObject({ idle: 1, replaced: 1 });
  });
});

describe('WorkerEngineBackend that cannot load its data', () => {
  let backend: WorkerEngineBackend;
  beforeAll(() => {
    backend = new WorkerEngineBackend({ data: { dataDir: path.join(os.tmpdir(), 'no-such-hunt-data-folder') }, poolSize: 1 });
  });
  afterAll(() => backend.close());

  it('rejects ready() and every query with an internal failure naming the folder', async () => {
    await expect(backend.ready()).rejects.toThrow(/could not load its data: .*no-such-hunt-data-folder/);
    const failure = await failureOf(backend, 'print 1');
    expect(failure.kind).toBe('internal');
    expect(failure.message).toMatch(/could not load its data: .*no-such-hunt-data-folder/);
    expect(backend.stats()).toMatchObject({ loading: 0, replaced: 0 });
  });
});

describe('WorkerEngineBackend.close', () => {
  let dir: string;
  let backend: WorkerEngineBackend;
  const secondSnapshot = deferred<void>();
  let snapshots = 0;
  beforeAll(() => {
    dir = writeThreeCertificateFolder(NOW, 'worker-engine-');
    backend = new WorkerEngineBackend({
      data: { dataDir: dir },
      poolSize: 2,
      // The second query holds its worker while its snapshot is taken, before anything is sent.
      watchlists: async () => {
        if (++snapshots === 2) await secondSnapshot.promise;
        return {};
      },
    });
    return backend.ready();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ends running, about-to-run and waiting queries as cancelled, and refuses new ones', async () => {
    const running = backend.run({ kql: NEVER_ENDING, window: WINDOW });
    const aboutToRun = backend.run({ kql: 'print 1', window: WINDOW });
    const waiting = backend.run({ kql: 'print 2', window: WINDOW });
    for (const query of [running, aboutToRun, waiting]) query.catch(() => undefined);
    await flush();
    expect(backend.stats()).toMatchObject({ busy: 2, waiting: 1 });

    await backend.close();
    secondSnapshot.resolve();
    await expect(running).rejects.toMatchObject({ kind: 'cancelled', message: 'The embedded engine is shutting down.' });
    await expect(aboutToRun).rejects.toMatchObject({ kind: 'cancelled', message: 'The embedded engine is shutting down.' });
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(backend.run({ kql: 'print 1', window: WINDOW })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.stats()).toMatchObject({ busy: 0, waiting: 0, replaced: 0 });
  });
});
