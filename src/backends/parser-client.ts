import type { MessagePort } from 'node:worker_threads';
import type { QueryAnalysis } from '../kql';
import type { AnalysisReply, AnalysisRequest } from './kql-parser-process';
import { errorMessage } from '../util/error-message';

/**
 * An engine worker's line to the pool's parser process: sends a query's text, gets its analysis. When
 * the parser process stops and is restarted the worker gets a new port, and the questions still open
 * fail with why it stopped: one of them may be what killed it, so asking again could kill the new one.
 * While there is no parser (given up, or waiting out a restart storm) every question fails at once.
 */
export class ParserClient {
  private port: MessagePort;
  private nextId = 1;
  private readonly open = new Map<number, { resolve(analysis: QueryAnalysis): void; reject(error: Error): void }>();
  private failure: string | undefined;

  constructor(port: MessagePort) {
    this.port = this.listen(port);
  }

  analyse(kql: string): Promise<QueryAnalysis> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.open.set(id, { resolve, reject });
      this.port.postMessage({ id, kql } satisfies AnalysisRequest);
    });
  }

  /** The restarted parser process's port; `stopped` says why the old one stopped (the open questions fail with it). */
  reconnect(port: MessagePort, stopped = 'the Kusto parser process stopped'): void {
    this.port.close();
    this.port = this.listen(port);
    this.failure = undefined;
    this.rejectOpen(`${stopped} before answering; it was restarted, so run the hunt again`);
  }

  /** There is no parser until the next reconnect(): open and later questions fail with `message`. */
  fail(message: string): void {
    this.failure = message;
    this.rejectOpen(message);
  }

  private rejectOpen(message: string): void {
    for (const question of this.open.values()) question.reject(new Error(message));
    this.open.clear();
  }

  close(): void {
    this.port.close();
  }

  private listen(port: MessagePort): MessagePort {
    port.on('message', (reply: AnalysisReply) => {
      const question = this.open.get(reply.id);
      if (!question) return;
      this.open.delete(reply.id);
      if ('error' in reply) return question.reject(new Error(reply.error));
      try {
        question.resolve(JSON.parse(reply.analysis) as QueryAnalysis);
      } catch (error) {
        question.reject(new Error(`the Kusto parser's analysis could not be read: ${errorMessage(error)}`));
      }
    });
    return port;
  }
}
