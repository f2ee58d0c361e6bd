import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { type ChunkResult, type ChunkTask, parseChunk } from '../data/jsonl-chunks';
import { type DroppedLines, estimateRows, type KnownTablesLoader, lineAlignedRanges } from '../data/jsonl';
import { SharedTableAppender } from '../data/shared-table-merge';
import { DataFileError } from '../kql/errors';
import { tableFromShared } from '../kql/storage/shared-table';
import { errorMessage } from '../util/error-message';
import { type ChunkMessage, type ChunkWorkerData, FINISHED, NEXT_TASK } from './jsonl-chunk-worker';
import { startThread } from './worker-thread';

/**
 * Chunks are cut so that each thread gets about this many: enough to even out threads that run at
 * different speeds, few enough that a chunk's fixed costs stay small (each chunk builds its own string
 * dictionaries, which are then merged).
 */
const CHUNKS_PER_THREAD = 3;
/** Below this a chunk's fixed costs weigh too much; a file under it is one chunk, parsed here. */
const MIN_CHUNK_BYTES = 16 * 1024 * 1024;
/** A chunk taken by a thread that has not answered for this long is parsed here too (the thread may be gone). */
const STEAL_AFTER_MS = 10_000;

export interface ParallelLoadOptions {
  /** Threads parsing at once, this one included (default: the machine's parallelism, at most 8). */
  threads?: number;
  /** Default: the files' total over CHUNKS_PER_THREAD chunks per thread, at least MIN_CHUNK_BYTES. */
  chunkBytes?: number;
  /** False: this thread only merges, and parses a chunk only when no other thread has answered for `stealAfterMs` (tests). */
  parseHere?: boolean;
  stealAfterMs?: number;
}

/**
 * Loads JSONL files of known tables on several threads: each file is cut into chunks on line
 * boundaries, every thread (this one too) takes the next chunk from a shared counter and parses it
 * into shared memory, and this thread puts the chunks back together in file order as they come in
 * (see SharedTableAppender), so the result is exactly what one sequential pass gives, bad lines and
 * their line numbers included. Small inputs (one chunk) never start a thread.
 *
 * The wait is synchronous (Atomics.wait, receiveMessageOnPort), so it fits the synchronous folder
 * loader; a chunk whose thread stops answering is parsed by this thread instead of waited for.
 */
export function parallelKnownTablesLoader(options: ParallelLoadOptions = {}): KnownTablesLoader {
  return (files) => {
    const threads = Math.max(1, options.threads ?? Math.min(8, availableParallelism()));
    const chunkBytes = options.chunkBytes ?? Math.max(MIN_CHUNK_BYTES, Math.ceil(totalBytes(files.map((f) => f.file)) / (threads * CHUNKS_PER_THREAD)));
    const plans = files.map(({ file, schema }) => {
      let ranges;
      let rows: number;
      try {
        ranges = lineAlignedRanges(file, chunkBytes);
        rows = estimateRows(file);
      } catch (error) {
        throw new DataFileError(file, 0, errorMessage(error), { cause: error });
      }
      const bytes = ranges.length > 0 ? ranges[ranges.length - 1].end : 0;
      const tasks = ranges.map(({ start, end }): ChunkTask => ({ file, schema, start, end, expectedRows: Math.max(1024, Math.ceil((rows * (end - start)) / Math.max(1, bytes))) }));
      return { file, schema, rows, tasks };
    });
    const tasks = plans.flatMap((p) => p.tasks);
    const owner = plans.flatMap((p, k) => p.tasks.map(() => k));
    const appenders = plans.map((p) => new SharedTableAppender(p.schema, p.rows));
    const dropped = plans.map((): DroppedLines => ({ lines: [] }));
    const linesBefore = plans.map(() => 0);

    const merge = (index: number, result: ChunkResult) => {
      const k = owner[index];
      appenders[k].append(result.table);
      for (const line of result.dropped.lines) dropped[k].lines.push(linesBefore[k] + line);
      dropped[k].firstReason ??= result.dropped.firstReason;
      linesBefore[k] += result.lines;
    };
    runTasks(tasks, Math.min(threads, tasks.length), merge, options.parseHere ?? true, options.stealAfterMs ?? STEAL_AFTER_MS);
    return plans.map((_, k) => ({ data: tableFromShared(appenders[k].build()), dropped: dropped[k] }));
  };
}

/** The files' total size (an unreadable file counts 0: the load then says what is wrong with it). */
function totalBytes(files: readonly string[]): number {
  return files.reduce((sum, file) => {
    try {
      return sum + statSync(file).size;
    } catch {
      return sum;
    }
  }, 0);
}

/** Runs every task on `threads` threads (this one included) and calls `merge` for each in task order. */
function runTasks(tasks: ChunkTask[], threads: number, merge: (index: number, result: ChunkResult) => void, parseHere: boolean, stealAfterMs: number): void {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const results = new Array<ChunkResult | undefined>(tasks.length);
  let failure: { index: number; message: string } | undefined;
  let merged = 0;
  const parse = (index: number) => {
    try {
      results[index] ??= parseChunk(tasks[index]);
    } catch (error) {
      failure ??= { index, message: errorMessage(error) };
    }
  };
  const collect = () => {
    for (const port of ports) {
      for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
        const message = received.message as ChunkMessage;
        // A late answer for a chunk already merged (parsed here after a wait) is dropped, not kept.
        if (message.type === 'parsed') {
          if (message.index >= merged) results[message.index] ??= message.result;
        }
        else failure ??= { index: message.index, message: message.message };
      }
    }
    // Merged pieces are let go at once: memory holds only the pieces that came in out of order.
    for (; merged < tasks.length && results[merged]; merged++) {
      merge(merged, results[merged]!);
      results[merged] = undefined;
    }
    if (failure) throw new DataFileError(tasks[failure.index].file, 0, failure.message);
  };
  try {
    for (let t = 1; t < threads; t++) {
      const { port1, port2 } = new MessageChannel();
      const worker = startThread(__dirname, 'jsonl-chunk-worker', { tasks, control, port: port2 } satisfies ChunkWorkerData, undefined, [port2]);
      // A thread that fails to start or stops leaves its chunk to be parsed here (see STEAL_AFTER_MS).
      worker.on('error', () => undefined);
      worker.unref();
      workers.push(worker);
      ports.push(port1);
    }
    const parseWhatIsLeft = () => {
      for (let index = Atomics.add(control, NEXT_TASK, 1); index < tasks.length; index = Atomics.add(control, NEXT_TASK, 1)) {
        parse(index);
        collect();
      }
    };
    if (parseHere) parseWhatIsLeft();
    while (merged < tasks.length) {
      const finished = Atomics.load(control, FINISHED);
      collect();
      if (merged === tasks.length) break;
      if (Atomics.wait(control, FINISHED, finished, stealAfterMs) === 'timed-out') {
        // No thread has answered for a while: take every chunk not yet taken, then the oldest one missing.
        parseWhatIsLeft();
        if (merged < tasks.length) parse(merged);
        collect();
      }
    }
    collect();
  } finally {
    for (const port of ports) port.close();
    for (const worker of workers) void worker.terminate().catch(() => undefined);
  }
}
