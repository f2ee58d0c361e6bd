/**
 * A thread of a parallel JSONL load (see parallel-jsonl.ts): takes the next chunk task from the
 * shared counter until none is left, parses it into shared memory and posts it on its port.
 */
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import { type ChunkResult, type ChunkTask, parseChunk } from '../data/jsonl-chunks';
import { errorMessage } from '../util/error-message';

export interface ChunkWorkerData {
  tasks: ChunkTask[];
  /** [next task to take, tasks finished] (see parallel-jsonl.ts). */
  control: Int32Array;
  port: MessagePort;
}

export type ChunkMessage = { type: 'parsed'; index: number; result: ChunkResult } | { type: 'failed'; index: number; message: string };

export const NEXT_TASK = 0;
export const FINISHED = 1;

if (!isMainThread && (workerData as Partial<ChunkWorkerData> | null)?.control) {
  const { tasks, control, port } = workerData as ChunkWorkerData;
  for (let index = Atomics.add(control, NEXT_TASK, 1); index < tasks.length; index = Atomics.add(control, NEXT_TASK, 1)) {
    let message: ChunkMessage;
    try {
      message = { type: 'parsed', index, result: parseChunk(tasks[index]) };
    } catch (error) {
      message = { type: 'failed', index, message: errorMessage(error) };
    }
    port.postMessage(message);
    Atomics.add(control, FINISHED, 1);
    Atomics.notify(control, FINISHED);
  }
  port.close();
}
