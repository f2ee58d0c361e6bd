import { type ChildProcess, spawn } from 'node:child_process';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { KqlQuestionKind, KqlQuestions } from '../kql/questions';
import type { TableSchema } from '../kql/schema';
import {
  type AnalysisReply,
  type AnalysisRequest,
  PARSER_PROCESS_ENV,
  type ParserControlMessage,
  type ParserFault,
  type ParserProcessData,
  type ParserStatusMessage,
} from './kql-parser-process';
import { parserSnapshotArguments } from './parser-snapshot';
import { scriptForProcess } from './worker-thread';

/** Starts in a row without the parser loading in between, after which the parser is given up. */
const MAX_RESTARTS = 3;
/** A warm process that answers no ping for this long is stuck (an analysis takes milliseconds) and is restarted. */
export const PARSER_HANG_MS = 30_000;
/** At most this many restarts of a warm process per RESTART_WINDOW_MS; the next waits for the window (a cool-down). */
export const RESTART_BUDGET = 3;
export const RESTART_WINDOW_MS = 60_000;
/** A process that has not loaded the parser this long after its start is stuck (it takes ~0.2-12 s) and counts as a failed start. */
export const PARSER_WARM_MS = 120_000;

export interface ParserProcessOptions {
  /** Default PARSER_HANG_MS. */
  hangMs?: number;
  /** Default PARSER_WARM_MS. */
  warmMs?: number;
  /** Default RESTART_BUDGET restarts per RESTART_WINDOW_MS. */
  restartBudget?: number;
  restartWindowMs?: number;
  /**
   * The process's V8 heap ceiling (default: Node's); above it the process alone stops, out of memory. With
   * a ceiling the process is not started from the parser's snapshot (it loads the parser, ~1.5-2.5 s).
   */
  heapCeilingMb?: number;
  /** Tests only: processes honour injectFault(). */
  faultInjection?: boolean;
  /** The bytes of shape templates the process keeps (default DEFAULT_SHAPE_TEMPLATE_BYTES; 0: none). */
  shapeTemplateBytes?: number;
}

/** ~8 MB: some 580 scoped, tag-marked hunt shapes (~14 KB each: the 207 built-in hunts take ~2.9 MB). */
export const DEFAULT_SHAPE_TEMPLATE_BYTES = 8_000_000;

/**
 * The last line of a dying process's stderr that says what went wrong (Node's and V8's own fatal
 * messages: a snapshot it could not start from, a failed assertion), at most 300 characters.
 */
function complaintIn(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).filter(Boolean);
  const complaint = lines.filter((line) => /error|fail|fatal/i.test(line)).pop();
  return complaint?.slice(0, 300);
}

/**
 * This process's Node.js flags for a process that loads the parser itself: not a debugger's port (this
 * process holds it), nor the parser's snapshot this process was started from (a huntbot command's):
 * that process starts from no snapshot, maybe under a heap ceiling, which a snapshot would refuse.
 */
function flagsWithoutSnapshot(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] === '--snapshot-blob') i++;
    else if (!flags[i].startsWith('--inspect') && !flags[i].startsWith('--snapshot-blob=')) kept.push(flags[i]);
  }
  return kept;
}

/** What a dying process wrote to stderr that says V8 ran out of heap (it aborts: no exit code to tell). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

/**
 * The worker pool's one Kusto parser, in a process of its own (kql-parser-process.ts), started from the
 * parser's startup snapshot when the build made one for this Node.js (ready in ~0.2 s; otherwise it loads
 * the parser, ~1.5-2.5 s of CPU). Engine workers ask it over their own ports (connect()); the main thread
 * passes each question on and hands back the answer, JSON text it never parses. A process that dies (a
 * crash, process.exit, out of memory) or hangs (no answer to the watchdog's ping for hangMs) is started
 * again and `onChange` tells the pool to hand its workers new ports; the questions the dead process had
 * not answered fail with `lastStop` (one of them may be what killed it, so they are not asked again).
 * Restarts are bounded: after MAX_RESTARTS starts that never loaded the parser it is given up; a warm
 * process that keeps dying is restarted at most restartBudget times per restartWindowMs, and until the
 * next restart `failure` says why queries fail. The main thread asks its own questions through
 * `questions` (the hunt catalog's and the runs' checks), under the same rules: open ones fail with why
 * the process stopped, and while there is no parser every question fails at once with `failure`, so no
 * caller waits forever and none gets an unchecked answer. The process ends with this one: it exits when
 * its IPC channel closes, and its guard thread ends it should this one be gone while it is busy
 * (end-with-parent.ts).
 */
export class ParserProcess {
  private child: ChildProcess;
  private extraTables: TableSchema[] | undefined;
  private closed = false;
  private failedStarts = 0;
  /**
   * A start from the parser's snapshot failed before the parser was warm: later starts load the parser
   * themselves. A blob starts only under the V8 flags it was built with (a bot run with
   * `--max-old-space-size`, in NODE_OPTIONS say, exits at once with code 14), and a damaged one crashes.
   */
  private snapshotFailed = false;
  /** When warm processes were restarted, for the restart budget. */
  private restartTimes: number[] = [];
  private coolDown: NodeJS.Timeout | undefined;
  private readonly hangMs: number;
  private readonly warmMs: number;
  private nextQuestion = 1;
  private readonly openQuestions = new Map<number, { resolve(answer: unknown): void; reject(error: Error): void }>();
  /** The engine workers' open analyses, by the id this process gave them: the port and the worker's own id. */
  private readonly openAnalyses = new Map<number, { port: MessagePort; id: number }>();
  /** Whether the running process has loaded and warmed the parser. */
  private warm = false;
  private readonly restartBudget: number;
  private readonly restartWindowMs: number;
  /** Set while queries cannot be analysed: the parser was given up, or waits out a restart storm. */
  failure: string | undefined;
  /** Why the last process stopped; the questions it had not answered fail with it. */
  lastStop: string | undefined;
  /** Processes started since construction (the first included). */
  starts = 0;
  /** Resolves once the first process has loaded and warmed the parser; rejects if it could not. */
  readonly warmed: Promise<void>;
  private settleWarm!: (error?: Error) => void;

  constructor(
    private readonly onChange: () => void,
    private readonly options: ParserProcessOptions = {},
  ) {
    this.hangMs = options.hangMs ?? PARSER_HANG_MS;
    this.warmMs = options.warmMs ?? PARSER_WARM_MS;
    this.restartBudget = options.restartBudget ?? RESTART_BUDGET;
    this.restartWindowMs = options.restartWindowMs ?? RESTART_WINDOW_MS;
    this.warmed = new Promise<void>((resolve, reject) => {
      this.settleWarm = (error) => (error ? reject(error) : resolve());
    });
    this.warmed.catch(() => undefined);
    this.child = this.start();
  }

  /** Engine workers' analyses passed on to the running process and not answered yet. */
  get analysesInFlight(): number {
    return this.openAnalyses.size;
  }

  /** The running process (tests kill it to prove the restart path). */
  get process(): ChildProcess {
    return this.child;
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
    else this.relayOn(port1);
    return port2;
  }

  /** The main thread's questions, answered by the parser in this process (see the class comment for failures). */
  readonly questions: KqlQuestions = {
    check: (kql) => this.ask('check', kql),
    tokens: (kql) => this.ask('tokens', kql),
    timeWindow: (kql) => this.ask('timeWindow', kql),
  };

  private ask<K extends KqlQuestionKind>(kind: K, kql: string): ReturnType<KqlQuestions[K]> {
    const asked = new Promise<unknown>((resolve, reject) => {
      if (this.closed) return reject(new Error('the Kusto parser process was closed'));
      if (this.failure !== undefined) return reject(new Error(this.failure));
      const id = this.nextQuestion++;
      this.openQuestions.set(id, { resolve, reject });
      this.holdWhileAsked();
      this.post({ type: 'question', id, kind, kql });
    });
    return asked as ReturnType<KqlQuestions[K]>;
  }

  /**
   * The open questions fail with `message` (their process stopped, or was closed). The engine workers'
   * open analyses are forgotten: each worker fails its own when it is handed a new port (ParserClient.reconnect).
   */
  private failOpenQuestions(message: string): void {
    for (const question of this.openQuestions.values()) question.reject(new Error(message));
    this.openQuestions.clear();
    this.openAnalyses.clear();
    this.holdWhileAsked();
  }

  /**
   * The process keeps this one alive only while it is awaited: until it is warm (a bot starting waits
   * for that) and while a question or analysis is open; otherwise it never keeps a finished process alive.
   */
  private holdWhileAsked(): void {
    const child = this.child;
    const awaited = !this.warm || this.openQuestions.size > 0 || this.openAnalyses.size > 0;
    if (awaited && !this.closed) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  }

  /** Tests only (a process started without faultInjection ignores it): the running process acts out `fault`. */
  injectFault(fault: ParserFault): void {
    this.post({ type: 'fault', fault });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.coolDown);
    this.failOpenQuestions('the Kusto parser process was closed before answering');
    const child = this.child;
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Held until it is gone: an unreferenced child's exit would not keep this process waiting for it.
    child.ref();
    child.kill('SIGKILL');
    await exited;
  }

  private start(): ChildProcess {
    const data: ParserProcessData = { faults: this.options.faultInjection === true, shapeTemplateBytes: this.options.shapeTemplateBytes ?? DEFAULT_SHAPE_TEMPLATE_BYTES };
    const script = scriptForProcess(__dirname, 'kql-parser-process');
    // A heap ceiling is a V8 flag, and a snapshot only starts under the flags it was built with: then the process loads the parser.
    const fromSnapshot = this.options.heapCeilingMb === undefined && !this.snapshotFailed ? parserSnapshotArguments(script) : undefined;
    const heap = this.options.heapCeilingMb === undefined ? [] : [`--max-old-space-size=${this.options.heapCeilingMb}`];
    const args = fromSnapshot ?? [...heap, ...flagsWithoutSnapshot(process.execArgv), script];
    const child = spawn(process.execPath, args, {
      env: { ...process.env, [PARSER_PROCESS_ENV]: JSON.stringify(data) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.starts++;
    this.warm = false;
    let lastError: string | undefined;
    let stopWatching = (): void => undefined;
    // Read only to recognise V8's out-of-memory abort and to tell why a process stopped (onChange logs it). Not
    // passed on: a supervisor that reads this process's stderr for "heap out of memory" (jest's workers
    // do) would take the parser's end for this process's own.
    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
      if (OUT_OF_MEMORY.test(stderrTail)) lastError = 'it ran out of memory';
    });
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    // A process stuck before the parser loads answers no ping (the watchdog starts once it is warm): bound the wait.
    // Doubled after each start that failed, so a machine that is merely slow is not taken for a stuck one.
    const warmMs = this.warmMs * 2 ** this.failedStarts;
    const warmDeadline = setTimeout(() => {
      lastError = `it did not load the parser within ${Math.round(warmMs / 1000)} s (stuck)`;
      child.kill('SIGKILL');
    }, warmMs);
    warmDeadline.unref();
    child.on('message', (message: ParserStatusMessage) => {
      // Read after the process's exit, once its successor runs (IPC can trail 'exit'): about the dead one
      // (its open questions failed with its stop), never to be taken for the new one's (its 'warm', say).
      if (child !== this.child) return;
      if (message.type === 'analysis') {
        const asked = this.openAnalyses.get(message.id);
        this.openAnalyses.delete(message.id);
        this.holdWhileAsked();
        if (!asked) return;
        if ('error' in message) asked.port.postMessage({ id: asked.id, error: message.error } satisfies AnalysisReply);
        else asked.port.postMessage({ id: asked.id, analysis: message.analysis, ...(message.fromTemplate ? { fromTemplate: true } : {}) } satisfies AnalysisReply);
      } else if (message.type === 'answer') {
        const question = this.openQuestions.get(message.id);
        this.openQuestions.delete(message.id);
        this.holdWhileAsked();
        if ('error' in message) question?.reject(new Error(message.error));
        else question?.resolve(message.answer);
      } else if (message.type === 'warm') {
        clearTimeout(warmDeadline);
        this.warm = true;
        this.holdWhileAsked();
        this.failedStarts = 0;
        stopWatching = this.watch(child, (hung) => (lastError = hung));
        this.settleWarm();
      } else if (message.type === 'warm-failed') {
        lastError = message.message;
        child.kill('SIGKILL');
      } else if (message.type === 'fatal') {
        lastError = message.message;
      }
    });
    let ended = false;
    const stopped = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (ended) return;
      ended = true;
      stopWatching();
      clearTimeout(warmDeadline);
      if (this.closed || child !== this.child) return;
      if (!this.warm && fromSnapshot) this.snapshotFailed = true;
      const said = complaintIn(stderrTail);
      const reason = lastError ?? `${signal ? `it was stopped by ${signal}` : `it exited with code ${code}`}${said ? ` (it said: ${said})` : ''}`;
      this.lastStop = `the Kusto parser process stopped: ${reason}`;
      // One of them may be what stopped it, so they are not asked again.
      this.failOpenQuestions(`${this.lastStop} before answering`);
      if (!this.warm) this.afterFailedStart(reason);
      else this.afterCrash(reason);
      this.onChange();
    };
    child.once('exit', stopped);
    child.on('error', (error) => {
      // One that could not be started may never emit 'exit': this is its end.
      lastError ??= `it could not start (${error.message})`;
      if (child.pid === undefined) stopped(null, null);
    });
    return child;
  }

  /** A process that never loaded the parser (`reason`: why it stopped): try again, up to MAX_RESTARTS in a row. */
  private afterFailedStart(reason: string): void {
    if (++this.failedStarts > MAX_RESTARTS) {
      this.failure = `the Kusto parser could not be loaded: ${reason}`;
      this.settleWarm(new Error(this.failure));
    } else {
      this.restart();
    }
  }

  /** A warm process died or hung (`reason`: why it stopped): restart it now, or once the restart budget allows. */
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
      `the Kusto parser process stopped ${this.restartTimes.length + 1} times within ${Math.round(this.restartWindowMs / 1000)} s ` +
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
    this.child = this.start();
    if (this.extraTables) this.post({ type: 'schemas', extraTables: this.extraTables });
  }

  /**
   * Pings a warm process every quarter of hangMs; one that leaves a ping unanswered for hangMs is
   * killed (its exit restarts it). Returns the function that stops watching.
   */
  private watch(child: ChildProcess, hung: (reason: string) => void): () => void {
    const every = Math.max(10, Math.floor(this.hangMs / 4));
    let pinged: number | undefined;
    let lastTick = Date.now();
    const onPong = (message: ParserStatusMessage): void => {
      if (message.type === 'pong') pinged = undefined;
    };
    child.on('message', onPong);
    const timer = setInterval(() => {
      const now = Date.now();
      const late = now - lastTick > every * 2;
      lastTick = now;
      // A main thread that was itself busy may not have read the pong yet: judge on the next tick.
      if (late) return;
      if (pinged === undefined) {
        pinged = now;
        this.send(child, { type: 'ping' });
      } else if (now - pinged >= this.hangMs) {
        hung(`it did not answer for ${Math.round((now - pinged) / 1000)} s (stuck)`);
        child.kill('SIGKILL');
      }
    }, every);
    timer.unref();
    return () => {
      clearInterval(timer);
      child.off('message', onPong);
    };
  }

  /** Passes the engine worker's questions on `port` to the running process, under ids of this process's own. */
  private relayOn(port: MessagePort): void {
    const child = this.child;
    port.on('message', (request: AnalysisRequest) => {
      // A port of a process that has stopped: its worker is handed a new port or the reason there is
      // none (onChange), and fails its open questions with why this one stopped.
      if (child !== this.child || child.exitCode !== null || child.signalCode !== null) return;
      const id = this.nextQuestion++;
      this.openAnalyses.set(id, { port, id: request.id });
      this.holdWhileAsked();
      this.post({ type: 'analyse', id, kql: request.kql });
    });
    // An idle engine worker's port never keeps a finished process alive.
    port.unref();
  }

  /** Answers every question on `port` with `failure` (the port's other end is an engine worker's). */
  private refuseOn(port: MessagePort): void {
    port.on('message', (request: AnalysisRequest) => {
      port.postMessage({ id: request.id, error: this.failure ?? 'the Kusto parser process is restarting' } satisfies AnalysisReply);
    });
    port.unref();
  }

  private post(message: ParserControlMessage): void {
    this.send(this.child, message);
  }

  /** Sends over the IPC channel; a process that has stopped (its exit restarts it) is past asking. */
  private send(child: ChildProcess, message: ParserControlMessage): void {
    if (child.connected) child.send(message, undefined, {}, () => undefined);
  }
}
