import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { KqlQuestionKind, KqlQuestions } from '../kql/questions';
import type { TableSchema } from '../kql/schema';
import type { AnalysisReply, AnalysisRequest, ParserControlMessage, ParserFault, ParserStatusMessage, ParserWorkerData } from './kql-parser-worker';
import { startThread } from './worker-thread';

/** Starts in a row without the parser loading in between, after which the parser is given up. */
const MAX_RESTARTS = 3;
/** A warm thread that answers no ping for this long is stuck (an analysis takes milliseconds) and is restarted. */
export const PARSER_HANG_MS = 30_000;
/** At most this many restarts of a warm thread per RESTART_WINDOW_MS; the next waits for the window (a cool-down). */
export const RESTART_BUDGET = 3;
export const RESTART_WINDOW_MS = 60_000;
/** A thread that has not loaded the parser this long after its start is stuck (it takes ~1-12 s) and counts as a failed start. */
export const PARSER_WARM_MS = 120_000;

export interface ParserThreadOptions {
  /** Default PARSER_HANG_MS. */
  hangMs?: number;
  /** Default PARSER_WARM_MS. */
  warmMs?: number;
  /** Default RESTART_BUDGET restarts per RESTART_WINDOW_MS. */
  restartBudget?: number;
  restartWindowMs?: number;
  /** The thread's V8 heap ceiling (default: Node's); above it the thread alone stops, out of memory. */
  heapCeilingMb?: number;
  /** Tests only: threads honour injectFault(). */
  faultInjection?: boolean;
  /** The bytes of shape templates the thread keeps (default DEFAULT_SHAPE_TEMPLATE_BYTES; 0: none). */
  shapeTemplateBytes?: number;
}

/** ~8 MB: some 580 scoped, tag-marked hunt shapes (~14 KB each: the 207 built-in hunts take ~2.9 MB). */
export const DEFAULT_SHAPE_TEMPLATE_BYTES = 8_000_000;

/**
 * The worker pool's one Kusto parser, in a thread of its own (kql-parser-worker.ts). Engine workers
 * reach it over their own ports (connect()), so the main thread never parses for them and never
 * copies their analyses. A thread that dies (a crash, process.exit, out of memory) or hangs (no answer
 * to the watchdog's ping for hangMs) is started again and `onChange` tells the pool to hand its workers
 * new ports; the questions the dead thread had not answered fail with `lastStop` (one of them may be
 * what killed it, so they are not asked again). Restarts are bounded: after MAX_RESTARTS starts that
 * never loaded the parser it is given up; a warm thread that keeps dying is restarted at most
 * restartBudget times per restartWindowMs, and until the next restart `failure` says why queries fail.
 * The main thread asks its own questions through `questions` (the hunt catalog's and the runs' checks),
 * under the same rules: open ones fail with why the thread stopped, and while there is no parser every
 * question fails at once with `failure`, so no caller waits forever and none gets an unchecked answer.
 */
export class ParserThread {
  private thread: Worker;
  private extraTables: TableSchema[] | undefined;
  private closed = false;
  private failedStarts = 0;
  /** When warm threads were restarted, for the restart budget. */
  private restartTimes: number[] = [];
  private coolDown: NodeJS.Timeout | undefined;
  private readonly hangMs: number;
  private readonly warmMs: number;
  private nextQuestion = 1;
  private readonly openQuestions = new Map<number, { resolve(answer: unknown): void; reject(error: Error): void }>();
  private readonly restartBudget: number;
  private readonly restartWindowMs: number;
  /** Set while queries cannot be analysed: the parser was given up, or waits out a restart storm. */
  failure: string | undefined;
  /** Why the last thread stopped; the questions it had not answered fail with it. */
  lastStop: string | undefined;
  /** Threads started since construction (the first included). */
  starts = 0;
  /** Resolves once the first thread has loaded and warmed the parser; rejects if it could not. */
  readonly warmed: Promise<void>;
  private settleWarm!: (error?: Error) => void;

  constructor(
    private readonly onChange: () => void,
    private readonly options: ParserThreadOptions = {},
  ) {
    this.hangMs = options.hangMs ?? PARSER_HANG_MS;
    this.warmMs = options.warmMs ?? PARSER_WARM_MS;
    this.restartBudget = options.restartBudget ?? RESTART_BUDGET;
    this.restartWindowMs = options.restartWindowMs ?? RESTART_WINDOW_MS;
    this.warmed = new Promise<void>((resolve, reject) => {
      this.settleWarm = (error) => (error ? reject(error) : resolve());
    });
    this.warmed.catch(() => undefined);
    this.thread = this.start();
  }

  /** The running thread (tests terminate it to prove the restart path). */
  get worker(): Worker {
    return this.thread;
  }

  /** The data's tables the bundled schema does not describe: queries are analysed against them too. */
  provideSchemas(extraTables: TableSchema[]): void {
    this.extraTables = extraTables;
    this.post({ type: 'schemas', extraTables });
  }

  /** A port for one engine worker: it sends AnalysisRequests and receives AnalysisReplies on it. */
  connect(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    // While there is no parser the main thread answers every question with the reason, so none waits forever.
    if (this.failure !== undefined) this.refuseOn(port1);
    else this.thread.postMessage({ type: 'connect', port: port1 } satisfies ParserControlMessage, [port1]);
    return port2;
  }

  /** The main thread's questions, answered by the parser in this thread (see the class comment for failures). */
  readonly questions: KqlQuestions = {
    check: (kql) => this.ask('check', kql),
    tokens: (kql) => this.ask('tokens', kql),
    timeWindow: (kql) => this.ask('timeWindow', kql),
  };

  private ask<K extends KqlQuestionKind>(kind: K, kql: string): ReturnType<KqlQuestions[K]> {
    const asked = new Promise<unknown>((resolve, reject) => {
      if (this.closed) return reject(new Error('the Kusto parser thread was closed'));
      if (this.failure !== undefined) return reject(new Error(this.failure));
      const id = this.nextQuestion++;
      this.openQuestions.set(id, { resolve, reject });
      this.post({ type: 'question', id, kind, kql });
    });
    return asked as ReturnType<KqlQuestions[K]>;
  }

  /** The open questions fail with `message` (their thread stopped, or was closed). */
  private failOpenQuestions(message: string): void {
    for (const question of this.openQuestions.values()) question.reject(new Error(message));
    this.openQuestions.clear();
  }

  /** Tests only (a thread started without faultInjection ignores it): the running thread acts out `fault`. */
  injectFault(fault: ParserFault): void {
    this.post({ type: 'fault', fault });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.coolDown);
    this.failOpenQuestions('the Kusto parser thread was closed before answering');
    await this.thread.terminate();
  }

  private start(): Worker {
    const workerData: ParserWorkerData = { faults: this.options.faultInjection === true, shapeTemplateBytes: this.options.shapeTemplateBytes ?? DEFAULT_SHAPE_TEMPLATE_BYTES };
    const limits = this.options.heapCeilingMb === undefined ? undefined : { maxOldGenerationSizeMb: this.options.heapCeilingMb };
    const thread = startThread(__dirname, 'kql-parser-worker', workerData, limits);
    this.starts++;
    // The parser never keeps a finished process alive; a query in flight keeps its engine worker referenced.
    thread.unref();
    let lastError: string | undefined;
    let warm = false;
    let stopWatching = (): void => undefined;
    // A thread stuck before the parser loads answers no ping (the watchdog starts once it is warm): bound the wait.
    // Doubled after each start that failed, so a machine that is merely slow is not taken for a stuck one.
    const warmMs = this.warmMs * 2 ** this.failedStarts;
    const warmDeadline = setTimeout(() => {
      lastError = `it did not load the parser within ${Math.round(warmMs / 1000)} s (stuck)`;
      void thread.terminate();
    }, warmMs);
    warmDeadline.unref();
    thread.on('message', (message: ParserStatusMessage) => {
      if (message.type === 'answer') {
        const question = this.openQuestions.get(message.id);
        this.openQuestions.delete(message.id);
        if ('error' in message) question?.reject(new Error(message.error));
        else question?.resolve(message.answer);
      } else if (message.type === 'warm') {
        clearTimeout(warmDeadline);
        warm = true;
        this.failedStarts = 0;
        stopWatching = this.watch(thread, (hung) => (lastError = hung));
        this.settleWarm();
      } else if (message.type === 'warm-failed') {
        lastError = message.message;
        void thread.terminate();
      }
    });
    thread.on('error', (error) => {
      lastError = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory' : error.message;
    });
    thread.once('exit', (code) => {
      stopWatching();
      clearTimeout(warmDeadline);
      if (this.closed || thread !== this.thread) return;
      const reason = lastError ?? `it exited with code ${code}`;
      this.lastStop = `the Kusto parser thread stopped: ${reason}`;
      // One of them may be what stopped it, so they are not asked again.
      this.failOpenQuestions(`${this.lastStop} before answering`);
      if (!warm) this.afterFailedStart(reason);
      else this.afterCrash(reason);
      this.onChange();
    });
    return thread;
  }

  /** A thread that never loaded the parser (`reason`: why it stopped): try again, up to MAX_RESTARTS in a row. */
  private afterFailedStart(reason: string): void {
    if (++this.failedStarts > MAX_RESTARTS) {
      this.failure = `the Kusto parser could not be loaded: ${reason}`;
      this.settleWarm(new Error(this.failure));
    } else {
      this.restart();
    }
  }

  /** A warm thread died or hung (`reason`: why it stopped): restart it now, or once the restart budget allows. */
  private afterCrash(reason: string): void {
    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((at) => now - at < this.restartWindowMs);
    if (this.restartTimes.length < this.restartBudget) {
      this.restartTimes.push(now);
      this.restart();
      return;
    }
    // A budget of 0 never restarts at once: the window counts from this stop.
    const at = (this.restartTimes[0] ?? now) + this.restartWindowMs;
    this.failure =
      `the Kusto parser thread stopped ${this.restartTimes.length + 1} times within ${Math.round(this.restartWindowMs / 1000)} s ` +
      `(last: ${reason}); it restarts at ${new Date(at).toISOString()}, run the hunt again after that`;
    this.coolDown = setTimeout(() => {
      if (this.closed) return;
      this.restartTimes.push(Date.now());
      this.failure = undefined;
      this.restart();
      this.onChange();
    }, at - now);
    // A cool-down never keeps a finished process alive.
    this.coolDown.unref();
  }

  private restart(): void {
    this.thread = this.start();
    if (this.extraTables) this.post({ type: 'schemas', extraTables: this.extraTables });
  }

  /**
   * Pings a warm thread every quarter of hangMs; one that leaves a ping unanswered for hangMs is
   * terminated (its exit restarts it). Returns the function that stops watching.
   */
  private watch(thread: Worker, hung: (reason: string) => void): () => void {
    const every = Math.max(10, Math.floor(this.hangMs / 4));
    let pinged: number | undefined;
    let lastTick = Date.now();
    const onPong = (message: ParserStatusMessage): void => {
      if (message.type === 'pong') pinged = undefined;
    };
    thread.on('message', onPong);
    const timer = setInterval(() => {
      const now = Date.now();
      const late = now - lastTick > every * 2;
      lastTick = now;
      // A main thread that was itself busy may not have read the pong yet: judge on the next tick.
      if (late) return;
      if (pinged === undefined) {
        pinged = now;
        thread.postMessage({ type: 'ping' } satisfies ParserControlMessage);
      } else if (now - pinged >= this.hangMs) {
        hung(`it did not answer for ${Math.round((now - pinged) / 1000)} s (stuck)`);
        void thread.terminate();
      }
    }, every);
    timer.unref();
    return () => {
      clearInterval(timer);
      thread.off('message', onPong);
    };
  }

  /** Answers every question on `port` with `failure` (the port's other end is an engine worker's). */
  private refuseOn(port: MessagePort): void {
    port.on('message', (request: AnalysisRequest) => {
      port.postMessage({ id: request.id, error: this.failure ?? 'the Kusto parser thread is restarting' } satisfies AnalysisReply);
    });
    port.unref();
  }

  private post(message: ParserControlMessage): void {
    this.thread.postMessage(message);
  }
}
