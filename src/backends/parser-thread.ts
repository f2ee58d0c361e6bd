import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { TableSchema } from '../kql/schema';
import type { ParserControlMessage, ParserStatusMessage } from './kql-parser-worker';
import { startThread } from './worker-thread';

/** Starts in a row without the parser loading in between, after which the parser is given up. */
const MAX_RESTARTS = 3;

/**
 * The worker pool's one Kusto parser, in a thread of its own (kql-parser-worker.ts). Engine workers
 * reach it over their own ports (connect()), so the main thread never parses for them and never
 * copies their analyses. A thread that dies is started again and `onChange` tells the pool to hand
 * its workers new ports; after MAX_RESTARTS failed starts `failure` says why there is no parser.
 */
export class ParserThread {
  private thread: Worker;
  private extraTables: TableSchema[] | undefined;
  private closed = false;
  private restarts = 0;
  /** Set when the parser was given up: why queries cannot be analysed. */
  failure: string | undefined;
  /** Resolves once the first thread has loaded and warmed the parser; rejects if it could not. */
  readonly warmed: Promise<void>;
  private settleWarm!: (error?: Error) => void;

  constructor(private readonly onChange: () => void) {
    this.warmed = new Promise<void>((resolve, reject) => {
      this.settleWarm = (error) => (error ? reject(error) : resolve());
    });
    this.warmed.catch(() => undefined);
    this.thread = this.start();
  }

  /** The data's tables the bundled schema does not describe: queries are analysed against them too. */
  provideSchemas(extraTables: TableSchema[]): void {
    this.extraTables = extraTables;
    this.post({ type: 'schemas', extraTables });
  }

  /** A port for one engine worker: it sends AnalysisRequests and receives AnalysisReplies on it. */
  connect(): MessagePort {
    // A given-up parser's port is never answered; the pool checks `failure` first.
    const { port1, port2 } = new MessageChannel();
    this.thread.postMessage({ type: 'connect', port: port1 } satisfies ParserControlMessage, [port1]);
    return port2;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.thread.terminate();
  }

  private start(): Worker {
    const thread = startThread(__dirname, 'kql-parser-worker', undefined);
    // The parser never keeps a finished process alive; a query in flight keeps its engine worker referenced.
    thread.unref();
    let lastError = 'it stopped';
    thread.on('message', (message: ParserStatusMessage) => {
      if (message.type === 'warm') {
        this.restarts = 0;
        this.settleWarm();
      } else {
        lastError = message.message;
        void thread.terminate();
      }
    });
    thread.on('error', (error) => (lastError = error.message));
    thread.once('exit', () => {
      if (this.closed || thread !== this.thread) return;
      if (++this.restarts > MAX_RESTARTS) {
        this.failure = `the Kusto parser could not be loaded: ${lastError}`;
        this.settleWarm(new Error(this.failure));
      } else {
        this.thread = this.start();
        if (this.extraTables) this.post({ type: 'schemas', extraTables: this.extraTables });
      }
      this.onChange();
    });
    return thread;
  }

  private post(message: ParserControlMessage): void {
    this.thread.postMessage(message);
  }
}
