/**
 * The embedded KQL engine inside a worker thread (started by WorkerEngineBackend). It warms the
 * parser, takes the data every worker shares (loaded once, in shared memory), then answers one query
 * at a time: a long evaluation blocks this thread, never the event loop that answers Teams.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { DataWarning } from '../domain/data-warning';
import { KqlDatabase, warmUpKql } from '../kql';
import type { SharedDatabase } from '../kql/database';
import type { QueryResult } from '../kql/types';
import { EmbeddedBackend, type EngineLimits } from './embedded-backend';
import { QueryFailure, type QueryFailureKind } from '../domain/query-failure';
import { errorMessage } from '../util/error-message';

/**
 * The limits every query the worker answers gets, and the shared data when it is already loaded
 * (a replacement worker); otherwise the data comes in a DataMessage once loaded.
 */
export interface EngineWorkerData {
  limits?: EngineLimits;
  data?: SharedDatabase;
}

/** The shared data, or why there is none; sent once, before any query. */
export type DataMessage = { type: 'data'; data: SharedDatabase } | { type: 'data-failed'; message: string };

/** A query for the worker: the QueryRequest minus its signal, plus the backend's `now` and watchlists. */
export interface EngineQuery {
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
  let current: EngineQuery | undefined;
  let backend: EmbeddedBackend;
  try {
    await warmUpKql();
    const database = KqlDatabase.fromShared(data.data ?? (await dataFrom(port)));
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
    // No message listener is registered, so the thread ends here.
    return;
  }

  const answer = async (query: EngineQuery): Promise<void> => {
    current = query;
    const begun = performance.now();
    let reply: EngineWorkerMessage;
    try {
      const window = { start: new Date(query.windowStartMs), end: new Date(query.windowEndMs) };
      const outcome = await backend.run({ kql: query.kql, window });
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
  // The main thread sends one query at a time; chaining keeps `current` right even if it did not.
  let answered = Promise.resolve();
  port.on('message', (query: EngineQuery) => {
    answered = answered.then(() => answer(query));
  });
  port.postMessage({ type: 'ready', loadMs: performance.now() - started, dataNotes: backend.dataNotes() } satisfies EngineWorkerMessage);
}

/** The first message: the shared data, or the reason there is none (thrown). */
function dataFrom(port: MessagePort): Promise<SharedDatabase> {
  return new Promise((resolve, reject) => {
    port.once('message', (message: DataMessage) => {
      if (message.type === 'data') resolve(message.data);
      else reject(new Error(message.message));
    });
  });
}

function toEngineFailure(error: unknown): EngineFailure {
  if (error instanceof QueryFailure) return { kind: error.kind, message: error.message, details: error.details };
  const message = errorMessage(error);
  return { kind: 'internal', message: `The embedded engine failed: ${message}`, details: {} };
}
