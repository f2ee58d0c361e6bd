/**
 * Loads the embedded engine's data once, in a thread of its own (started by loadInThread), into
 * shared memory, posts it and ends: the engine workers share that one copy, and the loader's
 * temporary memory (parse buffers, string hash tables) goes with its thread.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { SharedDatabase } from '../kql/database';
import { DataFileError } from '../kql/errors';
import { type DataSource, type LoadReport, openSharedDatabase } from '../data/data-source';
import type { KnownTablesLoader } from '../data/jsonl';
import { errorMessage } from '../util/error-message';
import { parallelKnownTablesLoader } from './parallel-jsonl';

export type DataLoaderMessage =
  /** `report` is final unless `snapshotPending` (a 'snapshot' message follows once the snapshot is written or given up). */
  | { type: 'loaded'; data: SharedDatabase; loadMs: number; report: LoadReport; snapshotPending: boolean }
  | { type: 'snapshot'; report: LoadReport }
  /** A DataFileError's parts, so the caller rebuilds the same error. */
  | { type: 'failed'; message: string; dataFile?: { file: string; line: number; reason: string } };

/** What the thread is asked to load, and on how many threads a folder's JSON may be parsed (see folderParser). */
export interface DataLoaderJob {
  source: DataSource;
  parseThreads: number;
}

/**
 * A folder's JSON is parsed chunk by chunk on the cores the caller's thread leaves free (it warms the
 * Kusto parser meanwhile, unless it started from the parser's snapshot): with one, this thread
 * parses alone, sequentially, which measured faster than two parsing threads sharing a core with the
 * parser and needs no second copy of each chunk (see parallel-jsonl.ts).
 */
function folderParser(threads: number): KnownTablesLoader | undefined {
  return threads >= 2 ? parallelKnownTablesLoader({ threads }) : undefined;
}

if (!isMainThread && parentPort) {
  const started = performance.now();
  try {
    const report: LoadReport = { snapshot: 'none' };
    const job = workerData as DataLoaderJob;
    const { database, saveSnapshot } = openSharedDatabase(job.source, report, folderParser(job.parseThreads));
    const loaded: DataLoaderMessage = { type: 'loaded', data: database, loadMs: performance.now() - started, report: { ...report }, snapshotPending: saveSnapshot !== undefined };
    parentPort.postMessage(loaded);
    // After the hand-over: the snapshot for the next start is written while this data is already in use.
    if (saveSnapshot) {
      saveSnapshot();
      parentPort.postMessage({ type: 'snapshot', report } satisfies DataLoaderMessage);
    }
  } catch (error) {
    const dataFile = error instanceof DataFileError ? { file: error.file, line: error.line, reason: error.reason } : undefined;
    parentPort.postMessage({ type: 'failed', message: errorMessage(error), dataFile } satisfies DataLoaderMessage);
  }
}
