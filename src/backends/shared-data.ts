import type { SharedDatabase } from '../kql/database';
import { DataFileError } from '../kql/errors';
import type { DataSource, LoadReport } from '../data/data-source';
import { availableParallelism } from 'node:os';
import type { DataLoaderJob, DataLoaderMessage } from './data-loader-worker';
import { startThread } from './worker-thread';

/** How the data was loaded (from a snapshot or not, and why) and how long it took. */
export type DataLoadReport = LoadReport & { loadMs: number };

/**
 * Loads `source` into shared memory in a thread of its own, so the caller's thread stays free
 * (the bot answers /healthz, the CLI warms the Kusto parser meanwhile). The thread ends by itself
 * once it has written the folder's snapshot (after the data is handed over; a process waits for it).
 * `onReport` is told how the data was loaded once that is final (after the snapshot's write).
 * `callerIdle`: the caller's thread has little to do meanwhile (the CLI started from the Kusto
 * parser's snapshot), so a folder's JSON may be parsed on every core instead of all but one.
 * @throws DataFileError (as a rejection) when the data cannot be loaded.
 */
export function loadInThread(source: DataSource, onReport?: (report: DataLoadReport) => void, options: { callerIdle?: boolean } = {}): Promise<SharedDatabase> {
  return new Promise((resolve, reject) => {
    const job: DataLoaderJob = { source, parseThreads: Math.min(8, availableParallelism() - (options.callerIdle ? 0 : 1)) };
    const thread = startThread(__dirname, 'data-loader-worker', job);
    let settled = false;
    let loadMs = 0;
    thread.on('message', (message: DataLoaderMessage) => {
      if (message.type === 'snapshot') return onReport?.({ ...message.report, loadMs });
      settled = true;
      if (message.type === 'loaded') {
        loadMs = message.loadMs;
        resolve(message.data);
        if (!message.snapshotPending) onReport?.({ ...message.report, loadMs });
      } else if (message.dataFile) reject(new DataFileError(message.dataFile.file, message.dataFile.line, message.dataFile.reason));
      else reject(new Error(message.message));
    });
    thread.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    thread.once('exit', (code) => {
      if (!settled) reject(new Error(`the data loader thread stopped (exit code ${code})`));
      settled = true;
    });
  });
}
