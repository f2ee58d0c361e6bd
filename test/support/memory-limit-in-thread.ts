/**
 * Runs one query under a memory limit set just above what a fresh thread holds, and reports how it
 * ended. A jest worker's heap carries whatever earlier test files left (buffers of threads they
 * stopped, for one), which can be freed while the query runs and hide its growth; a new thread
 * starts clean.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { KqlDatabase, KqlEngine, KqlLimitError, warmUpKql } from '../../src/kql';

export interface MemoryLimitInThread {
  kql: string;
  /** Megabytes allowed above what the thread holds right before the query. */
  headroomMb: number;
}

export type MemoryLimitOutcome = { stopped: true; limit: string; message: string } | { stopped: false; error?: string };

if (!isMainThread && parentPort) {
  const { kql, headroomMb } = workerData as MemoryLimitInThread;
  const port = parentPort;
  void (async () => {
    await warmUpKql();
    const engine = new KqlEngine(KqlDatabase.fromRows({}));
    engine.query('print x = 1', { now: new Date() }); // analyser warmed before the baseline is taken
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const heap = getHeapStatistics();
    const inUseMb = Math.ceil((heap.used_heap_size + heap.external_memory) / 2 ** 20);
    let outcome: MemoryLimitOutcome;
    try {
      engine.query(kql, { now: new Date(), limits: { maxMemoryMb: inUseMb + headroomMb } });
      outcome = { stopped: false };
    } catch (error) {
      outcome = error instanceof KqlLimitError ? { stopped: true, limit: error.limit, message: error.message } : { stopped: false, error: String(error) };
    }
    port.postMessage(outcome);
  })();
}
