import * as os from 'node:os';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { DataWarning } from '../domain/data-warning';
import type { KqlQuestions } from '../kql/questions';
import type { QueryResult } from '../kql/types';
import { timeoutFailure, type EngineLimits, type WatchlistSnapshot } from './embedded-backend';
import type { DataMessage, EngineQuery, EngineWorkerData, EngineWorkerMessage, ParserMessage, ToEngineWorker } from './engine-worker';
import { ParserProcess, type ParserProcessOptions } from './parser-process';
import type { DataSource } from '../data/data-source';
import { knownSchema, type SharedDatabase } from '../kql/database';
import { type DataLoadReport, loadInThread } from './shared-data';
import { errorMessage } from '../util/error-message';
import { QueryFailure } from '../domain/query-failure';
import { sampleNow } from '../data/generator';
import { type QueryBackend, type QueryOutcome, type QueryRequest } from './query-backend';
import { startThread } from './worker-thread';

/** The data, loaded once and shared by every worker: a folder of `<Table>.jsonl` files, or the generated sample. */
export type EngineData = { dataDir: string; cacheDir?: string } | { sample: { seed?: number; now?: Date; cacheDir?: string } };

export interface WorkerEngineBackendOptions {
  data: EngineData;
  /** Worker threads, all sharing one copy of the data (default defaultEnginePoolSize()). */
  poolSize?: number;
  /** Watchlist rows, read on the main thread for each query and sent with it. */
  watchlists?: WatchlistSnapshot;
  /** What now() means for a query (default: the wall clock when the query is sent). */
  now?: () => Date;
  /** Shown on cards and in /healthz (default: what EmbeddedBackend says for the same data). */
  description?: string;
  /**
   * Rows, time and memory per query (default: none). The engine in the worker stops a query that
   * reaches one; a worker that cannot (stuck inside one regular expression, say) is terminated
   * HARD_STOP_GRACE_MS after the time is up and replaced. `memoryMb` also sets each worker's V8
   * heap ceiling (HEAP_CEILING_FACTOR above it), the last resort when the engine's check is late.
   */
  limits?: EngineLimits;
  /** The parser process's hang watchdog, restart budget and heap ceiling (default: ParserProcess's). */
  parser?: ParserProcessOptions;
  /** Told how the data was loaded (from the snapshot in HUNT_CACHE_DIR or not, and why), once that is final. */
  onDataLoaded?: (report: DataLoadReport) => void;
  /** Told when the Kusto parser process was restarted, given up, or waits out a restart storm (`failure` set), or is back. */
  onParserChange?: (change: ParserChange) => void;
}

/** What happened to the parser process: `failure` is set while queries cannot be analysed (why, and until when). */
export interface ParserChange {
  failure?: string;
  lastStop?: string;
  starts: number;
}

/** How long after its time limit a query's worker gets to report the timeout itself before it is terminated. */
export const HARD_STOP_GRACE_MS = 1_000;
/**
 * The worker's V8 heap ceiling relative to the engine's own memory limit: above it, so that the
 * engine's check (which also counts array buffers) stops a query first and the worker survives.
 */
export const HEAP_CEILING_FACTOR = 1.25;

export interface WorkerEngineStats {
  /** Workers loading data (at start, or replacing one stopped by a cancel). */
  loading: number;
  idle: number;
  busy: number;
  /** Queries waiting for a free worker. */
  waiting: number;
  /** Workers that could not load the data; they are not replaced. */
  failed: number;
  /** Workers stopped and replaced since start (cancelled or timed-out evaluations, crashes, out of memory). */
  replaced: number;
}

/** One worker per CPU, at most two: the data and the Kusto parser are shared, but two evaluations at once already fill two CPUs. */
export function defaultEnginePoolSize(): number {
  return Math.max(1, Math.min(2, os.availableParallelism()));
}

/**
 * The embedded engine in a pool of worker threads, so evaluating a hunt over a million rows never
 * blocks the event loop that answers Teams. The data is loaded once, by a loader thread, into shared
 * memory that every worker reads in place. One parser process (ParserProcess) parses and analyses every
 * query for all workers, which receive the analysis as plain data: no worker loads the ~100 MB Kusto
 * parser, so memory does not grow with the pool by a parser per worker. Each worker answers one query
 * at a time; more wait in order. The engine is synchronous and cannot be interrupted from outside, so
 * cancelling a query that a worker is evaluating stops that worker and starts a replacement, which
 * takes the shared data and a port to the parser at once. That is the price of a cancel that really
 * frees the CPU; a query cancelled while it waits for a worker costs nothing.
 * Runaway queries are contained by `limits`: the engine in the worker stops a query that exceeds
 * its rows, time or memory and the worker stays; a worker that cannot stop it in time is replaced.
 */
export class WorkerEngineBackend implements QueryBackend {
  readonly name = 'embedded';
  readonly description: string;
  private readonly limits: EngineLimits | undefined;
  /** The shared data once loaded: every worker, replacements included, reads this one copy. */
  private data: SharedDatabase | undefined;
  private readonly watchlists: WatchlistSnapshot;
  private readonly onParserChange?: (change: ParserChange) => void;
  private readonly now: () => Date;
  private readonly workers: EngineWorker[];
  private readonly parser: ParserProcess;
  private readonly waiting: Array<{ resolve(worker: EngineWorker): void; reject(error: unknown): void }> = [];
  private readonly initialLoad: Promise<void>;
  private loadFailure: string | undefined;
  private loadNotes: readonly string[] = [];
  private replaced = 0;
  private nextId = 1;
  private closed = false;

  constructor(options: WorkerEngineBackendOptions) {
    const poolSize = options.poolSize ?? defaultEnginePoolSize();
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError(`WorkerEngineBackend: poolSize must be a positive integer, got ${poolSize}`);
    const source: DataSource =
      'dataDir' in options.data
        ? { kind: 'folder', dir: options.data.dataDir, cacheDir: options.data.cacheDir }
        : {
            kind: 'sample',
            seed: options.data.sample.seed,
            nowMs: (options.data.sample.now ?? sampleNow()).getTime(),
            huntingTables: true,
            cacheDir: options.data.sample.cacheDir,
          };
    this.limits = options.limits;
    this.description =
      options.description ??
      ('dataDir' in options.data ? `embedded engine over ${options.data.dataDir}` : 'embedded engine over generated sample telemetry');
    this.watchlists = options.watchlists ?? (async () => ({}));
    this.onParserChange = options.onParserChange;
    this.now = options.now ?? (() => new Date());
    // The parser process warms the parser while the loader thread reads the data.
    this.parser = new ParserProcess(() => this.parserChanged(), options.parser);
    this.workers = Array.from({ length: poolSize }, () => this.spawn());
    loadInThread(source, options.onDataLoaded).then(
      (data) => {
        this.parser.provideSchemas(data.tables.map((t) => t.schema).filter((schema) => !knownSchema(schema.name)));
        this.provide({ type: 'data', data });
      },
      (error: unknown) => this.provide({ type: 'data-failed', message: errorMessage(error) }),
    );
    this.initialLoad = Promise.all([this.parser.warmed, ...this.workers.map((worker) => worker.loaded)]).then(() => undefined);
    // Callers need not await ready(); run() reports a load failure too.
    this.initialLoad.catch(() => undefined);
  }

  /** The main thread's questions, answered by the pool's one parser process. */
  get kqlQuestions(): KqlQuestions {
    return this.parser.questions;
  }

  /** The pool's parser process (tests stop it to prove the restart path). */
  get parserProcess(): ParserProcess {
    return this.parser;
  }

  /** What loading noted about the data. */
  dataNotes(): readonly string[] {
    return this.loadNotes;
  }

  /** Resolves when every worker has its data and the parser is warm; rejects if one could not. */
  ready(): Promise<void> {
    return this.initialLoad;
  }

  /** As ready(), and rejects while the parser process is given up or cooling down (so /readyz says the engine cannot hunt). */
  async available(): Promise<void> {
    await this.initialLoad;
    if (this.parser.failure !== undefined) throw new Error(this.parser.failure);
  }

  async run(request: QueryRequest): Promise<QueryOutcome> {
    if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The hunt was cancelled before it started.');
    const worker = await this.acquire(request.signal);
    try {
      const watchlists = await this.watchlists();
      if (request.signal?.aborted) throw new QueryFailure('cancelled', 'The hunt was cancelled before it started.');
      const started = performance.now();
      const { result, dataWarnings } = await worker.query(
        {
          type: 'query',
          id: this.nextId++,
          kql: request.kql,
          windowStartMs: request.window.start.getTime(),
          windowEndMs: request.window.end.getTime(),
          nowMs: this.now().getTime(),
          watchlists,
        },
        request.signal,
      );
      return { result, durationMs: performance.now() - started, ...(dataWarnings?.length ? { dataWarnings } : {}) };
    } finally {
      this.release(worker);
    }
  }

  stats(): WorkerEngineStats {
    const count = (state: EngineWorkerState) => this.workers.filter((w) => w.state === state).length;
    return {
      loading: count('loading'),
      idle: count('idle'),
      busy: count('busy'),
      waiting: this.waiting.length,
      failed: count('failed'),
      replaced: this.replaced,
    };
  }

  /** Stops every worker; queries waiting or running end as cancelled. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(shuttingDown());
    await Promise.all([...this.workers.map((worker) => worker.stop(shuttingDown())), this.parser.close()]);
  }

  /** The parser process was restarted or given up: every worker gets a port to the new one, or the reason. */
  private parserChanged(): void {
    if (this.closed) return;
    this.onParserChange?.({ failure: this.parser.failure, lastStop: this.parser.lastStop, starts: this.parser.starts });
    for (const worker of this.workers) worker.parserChanged(this.parserMessage());
    this.dispatch();
  }

  private parserMessage(): ParserMessage {
    const failure = this.parser.failure;
    return failure === undefined ? { type: 'parser', port: this.parser.connect(), stopped: this.parser.lastStop } : { type: 'parser-failed', message: failure };
  }

  /** Hands the loaded data (or the reason there is none) to the workers waiting for it. */
  private provide(message: DataMessage): void {
    if (message.type === 'data') {
      this.data = message.data;
      this.loadNotes = message.data.notes;
    }
    if (this.closed) return;
    for (const worker of this.workers) worker.provide(message);
  }

  private spawn(): EngineWorker {
    return new EngineWorker({ limits: this.limits, data: this.data, parser: this.parser.connect() }, {
      onReady: () => this.dispatch(),
      onLoadFailed: (message) => {
        this.loadFailure ??= message;
        this.dispatch();
      },
      onStopped: (stopped) => this.replace(stopped),
    });
  }

  /** A worker that stopped after loading (cancel, crash) is replaced; one that failed to load is not, or a bad folder would loop. */
  private replace(stopped: EngineWorker): void {
    const index = this.workers.indexOf(stopped);
    if (this.closed || index < 0) return;
    this.workers[index] = this.spawn();
    this.replaced++;
  }

  /** An idle worker reserved for the caller, in arrival order. */
  private acquire(signal: AbortSignal | undefined): Promise<EngineWorker> {
    if (this.closed) return Promise.reject(shuttingDown());
    return new Promise<EngineWorker>((resolve, reject) => {
      const leave = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        reject(new QueryFailure('cancelled', 'The hunt was cancelled while it waited for the embedded engine.'));
      };
      const waiter = {
        resolve: (worker: EngineWorker) => {
          signal?.removeEventListener('abort', leave);
          resolve(worker);
        },
        reject: (error: unknown) => {
          signal?.removeEventListener('abort', leave);
          reject(error);
        },
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(waiter);
      this.dispatch();
    });
  }

  private release(worker: EngineWorker): void {
    worker.release();
    this.dispatch();
  }

  /** Hands idle workers to waiting queries; fails them all when no worker could ever load. */
  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.waiting.length === 0) return;
      if (worker.state !== 'idle') continue;
      worker.reserve();
      this.waiting.shift()?.resolve(worker);
    }
    if (this.loadFailure !== undefined && this.workers.every((w) => w.state === 'failed')) {
      const failure = new QueryFailure('internal', `The embedded engine could not load its data: ${this.loadFailure}`);
      for (const waiter of this.waiting.splice(0)) waiter.reject(failure);
    }
    if (this.parser.failure !== undefined) {
      const failure = new QueryFailure('internal', `The embedded engine cannot analyse queries: ${this.parser.failure}`);
      for (const waiter of this.waiting.splice(0)) waiter.reject(failure);
    }
  }
}

interface EngineWorkerEvents {
  onReady(dataNotes: readonly string[]): void;
  onLoadFailed(message: string): void;
  onStopped(worker: EngineWorker): void;
}

interface EngineAnswer {
  result: QueryResult;
  engineMs: number;
  dataWarnings?: DataWarning[];
}

interface PendingQuery {
  id: number;
  resolve(answer: EngineAnswer): void;
  reject(error: unknown): void;
}

type EngineWorkerState = 'loading' | 'idle' | 'busy' | 'failed' | 'stopped';

/** One worker thread and the query it is answering. */
class EngineWorker {
  private status: EngineWorkerState = 'loading';
  readonly loaded: Promise<void>;
  private readonly thread: Worker;
  private pending: PendingQuery | undefined;
  /** Why the thread stopped; a query sent after that fails with it instead of waiting forever. */
  private stopReason: QueryFailure | undefined;
  private loadSucceeded!: () => void;
  private loadFailed!: (error: Error) => void;
  private readonly limits: EngineLimits;
  /** Started before the data was loaded: it waits for a DataMessage. */
  private awaitingData: boolean;

  constructor(
    workerData: EngineWorkerData,
    private readonly events: EngineWorkerEvents,
  ) {
    this.awaitingData = workerData.data === undefined;
    this.loaded = new Promise<void>((resolve, reject) => {
      this.loadSucceeded = resolve;
      this.loadFailed = reject;
    });
    // The pool learns of a failed load through events; awaiting `loaded` is optional.
    this.loaded.catch(() => undefined);
    this.limits = workerData.limits ?? {};
    this.thread = startEngineThread(workerData, heapCeilingMb(this.limits));
    this.thread.on('message', (message: EngineWorkerMessage) => {
      switch (message.type) {
        case 'ready':
          this.status = 'idle';
          // An idle worker must not keep a finished process alive.
          this.thread.unref();
          this.loadSucceeded();
          this.events.onReady(message.dataNotes);
          return;
        case 'load-failed':
          this.failLoad(message.message);
          return;
        case 'result':
          this.settle(message.id, (p) => p.resolve({ result: message.result, engineMs: message.engineMs, dataWarnings: message.dataWarnings }));
          return;
        case 'failure':
          this.settle(message.id, (p) => p.reject(new QueryFailure(message.failure.kind, message.failure.message, message.failure.details)));
          return;
      }
    });
    this.thread.on('error', (error) => this.stopped(this.failureOf(error)));
    this.thread.on('exit', (code) => this.stopped(`The embedded engine's worker stopped unexpectedly (exit code ${code}).`));
  }

  get state(): EngineWorkerState {
    return this.status;
  }

  /** A port to the restarted parser process, or why there is none. */
  parserChanged(message: ParserMessage): void {
    if (this.status === 'stopped' || this.status === 'failed') {
      if (message.type === 'parser') message.port.close();
      return;
    }
    this.send(message, message.type === 'parser' ? [message.port] : []);
  }

  /** The shared data (or why there is none), once, to a worker started before it was loaded. */
  provide(message: DataMessage): void {
    if (!this.awaitingData || this.status !== 'loading') return;
    this.awaitingData = false;
    this.send(message);
  }

  /** Taken by one query of the pool until release(). */
  reserve(): void {
    if (this.status === 'idle') this.status = 'busy';
  }

  release(): void {
    if (this.status === 'busy') this.status = 'idle';
  }

  /**
   * Sends a query; when the signal aborts, or the query outlives its time limit by
   * HARD_STOP_GRACE_MS, stops the thread mid-evaluation (see WorkerEngineBackend).
   */
  query(query: EngineQuery, signal: AbortSignal | undefined): Promise<EngineAnswer> {
    if (this.stopReason) return Promise.reject(this.stopReason);
    return new Promise((resolve, reject) => {
      const cancel = (): void =>
        void this.stop(new QueryFailure('cancelled', 'The hunt was cancelled; the embedded engine worker evaluating it was stopped.'));
      const { timeoutMs } = this.limits;
      const hardStop =
        timeoutMs === undefined ? undefined : setTimeout(() => void this.stop(timeoutFailure(timeoutMs, true)), timeoutMs + HARD_STOP_GRACE_MS);
      const done = (): void => {
        clearTimeout(hardStop);
        signal?.removeEventListener('abort', cancel);
        this.pending = undefined;
        this.thread.unref();
      };
      this.pending = {
        id: query.id,
        resolve: (answer) => {
          done();
          resolve(answer);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      signal?.addEventListener('abort', cancel, { once: true });
      // A query in flight keeps the process alive until it is answered.
      this.thread.ref();
      this.send(query);
    });
  }

  /** Terminates the thread; a query it was answering fails with `reason`. */
  async stop(reason: QueryFailure): Promise<void> {
    this.stopped(reason);
    await this.thread.terminate();
  }

  private send(message: ToEngineWorker, transfer: MessagePort[] = []): void {
    this.thread.postMessage(message, transfer);
  }

  private settle(id: number, finish: (pending: PendingQuery) => void): void {
    if (this.pending?.id === id) finish(this.pending);
  }

  /** The thread is gone or going: fail what it was doing, once, and let the pool replace it. */
  private stopped(reason: QueryFailure | string): void {
    if (this.status === 'stopped' || this.status === 'failed') return;
    const error = typeof reason === 'string' ? new QueryFailure('internal', reason) : reason;
    if (this.status === 'loading') return this.failLoad(error.message);
    this.status = 'stopped';
    this.stopReason = error;
    this.pending?.reject(error);
    this.events.onStopped(this);
  }

  /** What a thread's 'error' event means for the query it was answering (or for its load). */
  private failureOf(error: Error): QueryFailure {
    const ceiling = heapCeilingMb(this.limits);
    if ((error as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') {
      return new QueryFailure('internal', `The embedded engine's worker failed: ${error.message}`);
    }
    if (this.status === 'loading') {
      return new QueryFailure('internal', `its worker ran out of memory (${ceiling ?? 'default'} MB heap ceiling); raise HUNT_ENGINE_WORKER_MEMORY_MB`);
    }
    return new QueryFailure(
      'too-large',
      `The query ran out of memory: the engine worker evaluating it reached its ${ceiling ?? 'default'} MB heap ceiling (HUNT_ENGINE_WORKER_MEMORY_MB) and was stopped and replaced.`,
    );
  }

  private failLoad(message: string): void {
    this.status = 'failed';
    this.loadFailed(new Error(`The embedded engine could not load its data: ${message}`));
    this.events.onLoadFailed(message);
  }
}

/** Starts the engine worker script with a heap ceiling (see startThread). */
function startEngineThread(workerData: EngineWorkerData, heapCeiling: number | undefined): Worker {
  const resourceLimits = heapCeiling === undefined ? undefined : { maxOldGenerationSizeMb: heapCeiling };
  return startThread(__dirname, 'engine-worker', workerData, resourceLimits, [workerData.parser]);
}

/** The V8 heap ceiling of a worker whose engine may hold `memoryMb` (none when unset). */
function heapCeilingMb(limits: EngineLimits): number | undefined {
  return limits.memoryMb === undefined ? undefined : Math.ceil(limits.memoryMb * HEAP_CEILING_FACTOR);
}

function shuttingDown(): QueryFailure {
  return new QueryFailure('cancelled', 'The embedded engine is shutting down.');
}
