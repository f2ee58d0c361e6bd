/**
 * The one thread of the engine worker pool that loads the Kusto parser (started by ParserThread).
 * Engine workers send it each query's text over a port of their own and get the analysed query back
 * as plain data (QueryAnalysis), so no engine worker loads the ~100 MB parser: the pool's memory
 * does not grow with its size by a parser per worker.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { analyzerFor, answerKqlQuestion, type KqlQuestionKind, warmUpKql } from '../kql';
import type { QueryAnalysis } from '../kql/parser/analyzer';
import { ShapeAnalyses } from '../kql/parser/shape-analyses';
import type { TableSchema } from '../kql/schema';
import { errorMessage } from '../util/error-message';

/**
 * From the pool: the data's tables the bundled schema does not describe (once loaded), an engine worker's
 * port, the watchdog's ping, the main thread's own question about a query (KqlQuestions: the hunt
 * catalog's and the runs' checks against the bundled schema), or (only in a thread started with
 * `faults`, by tests) a fault to act out.
 */
export type ParserControlMessage =
  | { type: 'schemas'; extraTables: TableSchema[] }
  | { type: 'connect'; port: MessagePort }
  | { type: 'ping' }
  | { type: 'question'; id: number; kind: KqlQuestionKind; kql: string }
  | { type: 'fault'; fault: ParserFault };

/** What a test can make the real thread do: throw, call process.exit, run out of memory, or hang. */
export type ParserFault = 'crash' | 'exit' | 'out-of-memory' | 'hang';

/** What the thread is started with. */
export interface ParserWorkerData {
  /** Honour 'fault' messages (tests only; a thread started without it ignores them). */
  faults: boolean;
  /**
   * The bytes of shape templates the thread may keep (ShapeAnalyses: a run's query that differs from an
   * earlier one only in its window or scoped device is patched from that one's analysis); 0 keeps none.
   */
  shapeTemplateBytes: number;
}

/** To the pool. */
export type ParserStatusMessage =
  | { type: 'warm' }
  | { type: 'warm-failed'; message: string }
  | { type: 'pong' }
  | { type: 'answer'; id: number; answer: ReturnType<typeof answerKqlQuestion> }
  | { type: 'answer'; id: number; error: string };

/** On an engine worker's port. */
export interface AnalysisRequest {
  id: number;
  kql: string;
}
/** `fromTemplate`: the analysis was patched from its shape's template (ShapeAnalyses), not made anew. */
export type AnalysisReply = { id: number; analysis: QueryAnalysis; fromTemplate?: true } | { id: number; error: string };

if (!isMainThread && parentPort) serve(parentPort, workerData as ParserWorkerData);

/** What answers the engine workers' analyses (`stats` only with templates kept). */
type Analyses = Pick<ShapeAnalyses, 'analysis'> & { stats?: ShapeAnalyses['stats'] };

function serve(control: MessagePort, { faults, shapeTemplateBytes }: ParserWorkerData): void {
  let provideSchemas!: (extraTables: TableSchema[]) => void;
  // Queries arrive only after the data (and so its schemas) is loaded, but on other ports: wait for them.
  const analyzer = new Promise<Analyses>((resolve) => {
    provideSchemas = (extraTables) => {
      const full = analyzerFor(extraTables);
      resolve(shapeTemplateBytes > 0 ? new ShapeAnalyses(full, shapeTemplateBytes) : full);
    };
  });
  control.on('message', (message: ParserControlMessage) => {
    switch (message.type) {
      case 'schemas':
        return provideSchemas(message.extraTables);
      case 'connect':
        return answerOn(message.port, analyzer);
      case 'ping':
        // Answered between analyses: a thread stuck in one never answers, and the watchdog restarts it.
        return control.postMessage({ type: 'pong' } satisfies ParserStatusMessage);
      case 'question':
        return control.postMessage(answer(message.id, message.kind, message.kql));
      case 'fault':
        if (faults) actOut(message.fault);
        return;
    }
  });
  warmUpKql().then(
    () => control.postMessage({ type: 'warm' } satisfies ParserStatusMessage),
    (error: unknown) => control.postMessage({ type: 'warm-failed', message: errorMessage(error) } satisfies ParserStatusMessage),
  );
}

function answer(id: number, kind: KqlQuestionKind, kql: string): ParserStatusMessage {
  try {
    return { type: 'answer', id, answer: answerKqlQuestion(kind, kql) };
  } catch (error) {
    return { type: 'answer', id, error: errorMessage(error) };
  }
}

function answerOn(port: MessagePort, analyzer: Promise<Analyses>): void {
  port.on('message', (request: AnalysisRequest) => {
    void analyzer.then((ready) => {
      let reply: AnalysisReply;
      try {
        const patchedBefore = ready.stats?.patched;
        const analysis = ready.analysis(request.kql);
        reply = ready.stats && ready.stats.patched !== patchedBefore ? { id: request.id, analysis, fromTemplate: true } : { id: request.id, analysis };
      } catch (error) {
        reply = { id: request.id, error: errorMessage(error) };
      }
      port.postMessage(reply);
    });
  });
}

/** A test's fault, acted out for real in this thread. */
function actOut(fault: ParserFault): void {
  switch (fault) {
    case 'crash':
      setImmediate(() => {
        throw new Error('injected crash in the Kusto parser thread');
      });
      return;
    case 'exit':
      process.exit(7);
      return;
    case 'out-of-memory': {
      // Small blocks, as a runaway would grow: one block larger than Node's headroom above the ceiling
      // makes V8's out-of-memory fatal to the whole process, which no thread boundary contains.
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array<number>(1_000_000).fill(hoard.length));
    }
    case 'hang':
      for (;;) {
        // Busy forever, as a parser stuck in one query would be.
      }
  }
}
