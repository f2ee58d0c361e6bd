/**
 * Loads the embedded engine's data once, in a thread of its own (started by loadInThread), into
 * shared memory, posts it and ends: the engine workers share that one copy, and the loader's
 * temporary memory (parse buffers, string hash tables) goes with its thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SharedDatabase } from '../kql/database';
import { DataFileError } from '../kql/errors';
import { type DataSource, loadSharedDatabase } from '../data/data-source';
import { errorMessage } from '../util/error-message';

export type DataLoaderMessage =
  | { type: 'loaded'; data: SharedDatabase; loadMs: number }
  /** A DataFileError's parts, so the caller rebuilds the same error. */
  | { type: 'failed'; message: string; dataFile?: { file: string; line: number; reason: string } };

if (!isMainThread && parentPort) {
  const started = performance.now();
  let message: DataLoaderMessage;
  try {
    message = { type: 'loaded', data: loadSharedDatabase(workerData as DataSource), loadMs: performance.now() - started };
  } catch (error) {
    const dataFile = error instanceof DataFileError ? { file: error.file, line: error.line, reason: error.reason } : undefined;
    message = { type: 'failed', message: errorMessage(error), dataFile };
  }
  parentPort.postMessage(message);
}
