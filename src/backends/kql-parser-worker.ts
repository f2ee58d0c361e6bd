/**
 * The one thread of the engine worker pool that loads the Kusto parser (started by ParserThread).
 * Engine workers send it each query's text over a port of their own and get the analysed query back
 * as plain data (QueryAnalysis), so no engine worker loads the ~100 MB parser: the pool's memory
 * does not grow with its size by a parser per worker.
 */
import { isMainThread, parentPort, type MessagePort } from 'node:worker_threads';
import { analyzerFor, warmUpKql } from '../kql';
import type { QueryAnalysis } from '../kql/parser/analyzer';
import type { TableSchema } from '../kql/schema';
import { errorMessage } from '../util/error-message';

/** From the pool: the data's tables the bundled schema does not describe (once loaded), or an engine worker's port. */
export type ParserControlMessage = { type: 'schemas'; extraTables: TableSchema[] } | { type: 'connect'; port: MessagePort };

/** To the pool. */
export type ParserStatusMessage = { type: 'warm' } | { type: 'warm-failed'; message: string };

/** On an engine worker's port. */
export interface AnalysisRequest {
  id: number;
  kql: string;
}
export type AnalysisReply = { id: number; analysis: QueryAnalysis } | { id: number; error: string };

if (!isMainThread && parentPort) serve(parentPort);

function serve(control: MessagePort): void {
  let provideSchemas!: (extraTables: TableSchema[]) => void;
  // Queries arrive only after the data (and so its schemas) is loaded, but on other ports: wait for them.
  const analyzer = new Promise<ReturnType<typeof analyzerFor>>((resolve) => {
    provideSchemas = (extraTables) => resolve(analyzerFor(extraTables));
  });
  control.on('message', (message: ParserControlMessage) => {
    if (message.type === 'schemas') provideSchemas(message.extraTables);
    else answerOn(message.port, analyzer);
  });
  warmUpKql().then(
    () => control.postMessage({ type: 'warm' } satisfies ParserStatusMessage),
    (error: unknown) => control.postMessage({ type: 'warm-failed', message: errorMessage(error) } satisfies ParserStatusMessage),
  );
}

function answerOn(port: MessagePort, analyzer: Promise<ReturnType<typeof analyzerFor>>): void {
  port.on('message', (request: AnalysisRequest) => {
    void analyzer.then((ready) => {
      let reply: AnalysisReply;
      try {
        reply = { id: request.id, analysis: ready.analysis(request.kql) };
      } catch (error) {
        reply = { id: request.id, error: errorMessage(error) };
      }
      port.postMessage(reply);
    });
  });
}
