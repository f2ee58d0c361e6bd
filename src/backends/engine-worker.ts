/**
 * The embedded KQL engine inside a worker thread (started by WorkerEngineBackend). It takes the data
 * every worker shares (loaded once, in shared memory), then answers one query at a time: the pool's
 * parser process analyses the query (this thread never loads the Kusto parser) and this thread
 * evaluates it. A long evaluation blocks this thread, never the event loop that answers Teams.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { DataWarning } from '../domain/data-warning';
import { KqlDatabase } from '../kql';
import type { SharedDatabase } from '../kql/database';
import type { QueryResult } from '../kql/types';
import { EmbeddedBackend, type EngineLimits } from './embedded-backend';
import { QueryFailure, type QueryFailureKind } from '../domain/query-failure';
import { errorMessage } from '../util/error-message';
import { ParserClient } from './parser-client';

/**
 * The limits every query the worker answers gets, and the shared data when it is already loaded
 * (a replacement worker); otherwise the data comes in a DataMessage once loaded.
 */
export interface EngineWorkerData {
  limits?: EngineLimits;
  data?: SharedDatabase;
  /** This worker's port to the pool's parser process (transferred). */
  parser: MessagePort;
}

/** The shared data, or why there is none; sent once, before any query. */
export type DataMessage = { type: 'data'; data: SharedDatabase } | { type: 'data-failed'; message: string };

/** The parser process was restarted (a new port; `stopped`: why the old one stopped), or there is none for now. */
export type ParserMessage = { type: 'parser'; port: MessagePort; stopped?: string } | { type: 'parser-failed'; message: string };

/** What the pool sends a worker. */
export type ToEngineWorker = DataMessage | ParserMessage | EngineQuery;

/** A query for the worker: the QueryRequest minus its signal, plus the backend's `now` and watchlists. */
export interface EngineQuery {
  type: 'query';
  id: number;
  kql: string;
  windowStartMs: number;
  windowEndMs: number;
  nowMs: number;
  watchlists: Record<string, Array<Record<string, unknown>>>;
}

/** A QueryFailure as plain data, to cross the thread boundary (class instances do not). */
export interface EngineFailure {
  kind: QueryFailureKind;
  message: string;
  details: QueryFailure['details'];
}

export type EngineWorkerMessage =
  | { type: 'ready'; loadMs: number; dataNotes: readonly string[] }
  | { type: 'load-failed'; message: string }
  | { type: 'result'; id: number; result: QueryResult; engineMs: number; dataWarnings?: DataWarning[] }
  | { type: 'failure'; id: number; failure: EngineFailure };

if (!isMainThread && parentPort) void serve(parentPort, workerData as EngineWorkerData);

async function serve(port: MessagePort, data: EngineWorkerData): Promise<void> {
  const started = performance.now();
  const parser = new ParserClient(data.parser);
  let current: EngineQuery | undefined;
  let provideData!: (message: DataMessage) => void;
  const shared = new Promise<DataMessage>((resolve) => (provideData = resolve));
  // The main thread sends one query at a time, once this worker is ready; chaining keeps `current`
  // right even if it did not, and holds an early query until the worker can answer it.
  let loaded!: () => void;
  let answered = new Promise<void>((resolve) => (loaded = resolve));
  const onMessage = (message: ToEngineWorker): void => {
    switch (message.type) {
      case 'data':
      case 'data-failed':
        return provideData(message);
      case 'parser':
        return parser.reconnect(message.port, message.stopped);
      case 'parser-failed':
        return parser.fail(message.message);
      case 'query':
        answered = answered.then(() => answer(message));
        return;
    }
  };
  port.on('message', onMessage);

  let backend: EmbeddedBackend;
  try {
    const database = KqlDatabase.fromShared(data.data ?? dataOf(await shared));
    // EmbeddedBackend maps engine errors to QueryFailure; reusing it makes the kinds and messages
    // identical to the in-process backend by construction. Its hooks read the query being answered.
    backend = new EmbeddedBackend(
      database,
      'embedded engine worker',
      async () => current?.watchlists ?? {},
      () => new Date(current?.nowMs ?? Date.now()),
      data.limits,
    );
  } catch (error) {
    port.postMessage({ type: 'load-failed', message: errorMessage(error) } satisfies EngineWorkerMessage);
    // Nothing left to listen to, so the thread ends here.
    port.off('message', onMessage);
    parser.close();
    return;
  }

  const answer = async (query: EngineQuery): Promise<void> => {
    current = query;
    // The query's time limit counts from here, its analysis included, as in the in-process engine.
    const begun = performance.now();
    let reply: EngineWorkerMessage;
    try {
      const window = { start: new Date(query.windowStartMs), end: new Date(query.windowEndMs) };
      const analysis = await parser.analyse(query.kql).catch((error: unknown) => {
        throw new QueryFailure('internal', `The embedded engine could not analyse the query: ${errorMessage(error)}`);
      });
      const outcome = await backend.runAnalysis(analysis, { kql: query.kql, window }, begun);
      reply = { type: 'result', id: query.id, result: outcome.result, engineMs: performance.now() - begun, dataWarnings: outcome.dataWarnings };
    } catch (error) {
      reply = { type: 'failure', id: query.id, failure: toEngineFailure(error) };
    } finally {
      current = undefined;
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      // A reply that cannot be cloned must still answer the query, or its caller would wait forever.
      port.postMessage({ type: 'failure', id: query.id, failure: toEngineFailure(error) } satisfies EngineWorkerMessage);
    }
  };
  loaded();
  port.postMessage({ type: 'ready', loadMs: performance.now() - started, dataNotes: backend.dataNotes() } satisfies EngineWorkerMessage);
}

/** The shared data, or the reason there is none (thrown). */
function dataOf(message: DataMessage): SharedDatabase {
  if (message.type === 'data') return message.data;
  throw new Error(message.message);
}

function toEngineFailure(error: unknown): EngineFailure {
  if (error instanceof QueryFailure) return { kind: error.kind, message: error.message, details: error.details };
  const message = errorMessage(error);
  return { kind: 'internal', message: `The embedded engine failed: ${message}`, details: {} };
}
