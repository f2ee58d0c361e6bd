import type { MessagePort } from 'node:worker_threads';
import type { QueryAnalysis } from '../kql';
import type { AnalysisReply, AnalysisRequest } from './kql-parser-worker';

/**
 * An engine worker's line to the pool's parser thread: sends a query's text, gets its analysis. When
 * the parser thread is restarted the worker gets a new port and the questions still open are asked
 * again; when it is given up they fail.
 */
export class ParserClient {
  private port: MessagePort;
  private nextId = 1;
  private readonly open = new Map<number, { kql: string; resolve(analysis: QueryAnalysis): void; reject(error: Error): void }>();
  private failure: string | undefined;

  constructor(port: MessagePort) {
    this.port = this.listen(port);
  }

  analyse(kql: string): Promise<QueryAnalysis> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.open.set(id, { kql, resolve, reject });
      this.port.postMessage({ id, kql } satisfies AnalysisRequest);
    });
  }

  /** The restarted parser thread's port: the open questions go to it. */
  reconnect(port: MessagePort): void {
    this.port.close();
    this.port = this.listen(port);
    for (const [id, { kql }] of this.open) this.port.postMessage({ id, kql } satisfies AnalysisRequest);
  }

  /** There is no parser any more: open and later questions fail with `message`. */
  fail(message: string): void {
    this.failure = message;
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
      if ('analysis' in reply) question.resolve(reply.analysis);
      else question.reject(new Error(reply.error));
    });
    return port;
  }
}
