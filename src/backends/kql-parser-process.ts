/**
 * The engine worker pool's one Kusto parser, in a process of its own (started by ParserProcess, from the
 * parser's startup snapshot when the build made one for this Node.js: the parser is then loaded and warm
 * in ~0.2 s instead of ~1.5-2.5 s of CPU). It answers the pool's analyses as JSON text, which the main
 * thread hands on to the engine worker that asked, unread; no engine worker loads the ~100 MB parser, so
 * the pool's memory does not grow with its size by a parser per worker.
 */
import { analyzerFor, answerKqlQuestion, type KqlQuestionKind, warmUpKql } from '../kql';
import { ShapeAnalyses } from '../kql/parser/shape-analyses';
import type { TableSchema } from '../kql/schema';
import { errorMessage } from '../util/error-message';
import { endWithParent } from './end-with-parent';

/**
 * From the pool: the data's tables the bundled schema does not describe (once loaded), an engine
 * worker's analysis (`id` is the pool's), the watchdog's ping, the main thread's own question about a
 * query (KqlQuestions: the hunt catalog's and the runs' checks against the bundled schema), or (only in
 * a process started with `faults`, by tests) a fault to act out.
 */
export type ParserControlMessage =
  | { type: 'schemas'; extraTables: TableSchema[] }
  | { type: 'analyse'; id: number; kql: string }
  | { type: 'ping' }
  | { type: 'question'; id: number; kind: KqlQuestionKind; kql: string }
  | { type: 'fault'; fault: ParserFault };

/** What a test can make the real process do: throw, call process.exit, run out of memory, or hang. */
export type ParserFault = 'crash' | 'exit' | 'out-of-memory' | 'hang';

/** What the process is started with (as JSON, in PARSER_PROCESS_ENV). */
export interface ParserProcessData {
  /** Honour 'fault' messages (tests only; a process started without it ignores them). */
  faults: boolean;
  /**
   * The bytes of shape templates the process may keep (ShapeAnalyses: a run's query that differs from an
   * earlier one only in its window or scoped device is patched from that one's analysis); 0 keeps none.
   */
  shapeTemplateBytes: number;
}

/**
 * To the pool. `fatal`: why the process is about to exit (an uncaught error), sent before it does.
 * `analysis`: the QueryAnalysis as JSON text (V8's serializer, which the IPC channel would use for an
 * object, recurses over the syntax tree and overflows the stack on a query ~1,000 operators deep).
 */
export type ParserStatusMessage =
  | { type: 'warm' }
  | { type: 'warm-failed'; message: string }
  | { type: 'pong' }
  | { type: 'fatal'; message: string }
  | { type: 'answer'; id: number; answer: ReturnType<typeof answerKqlQuestion> }
  | { type: 'answer'; id: number; error: string }
  | { type: 'analysis'; id: number; analysis: string; fromTemplate?: true }
  | { type: 'analysis'; id: number; error: string };

/** On an engine worker's port. */
export interface AnalysisRequest {
  id: number;
  kql: string;
}
/**
 * `analysis`: the QueryAnalysis as JSON text, parsed by the engine worker. `fromTemplate`: it was patched
 * from its shape's template (ShapeAnalyses), not made anew.
 */
export type AnalysisReply = { id: number; analysis: string; fromTemplate?: true } | { id: number; error: string };

/** What answers the engine workers' analyses (`stats` only with templates kept). */
type Analyses = Pick<ShapeAnalyses, 'analysis'> & { stats?: ShapeAnalyses['stats'] };

/** Serves the pool on this process's IPC channel until the pool lets go (or is gone). */
export function serveParser({ faults, shapeTemplateBytes }: ParserProcessData): void {
  const send = (message: ParserStatusMessage): void => {
    if (process.connected) process.send?.(message, undefined, {}, () => undefined);
  };
  process.on('uncaughtException', (error) => {
    // Said before exiting, so the pool can tell why; then the exit code says it was not a clean end.
    if (!process.connected) process.exit(1);
    process.send?.({ type: 'fatal', message: errorMessage(error) } satisfies ParserStatusMessage, undefined, {}, () => process.exit(1));
  });
  let provideSchemas!: (extraTables: TableSchema[]) => void;
  // Analyses are asked only after the data (and so its schemas) is loaded: wait for them all the same.
  const analyzer = new Promise<Analyses>((resolve) => {
    provideSchemas = (extraTables) => {
      const full = analyzerFor(extraTables);
      resolve(shapeTemplateBytes > 0 ? new ShapeAnalyses(full, shapeTemplateBytes) : full);
    };
  });
  process.on('message', (message: ParserControlMessage) => {
    switch (message.type) {
      case 'schemas':
        return provideSchemas(message.extraTables);
      case 'analyse':
        return void analyzer.then((ready) => send(analysisOf(ready, message.id, message.kql)));
      case 'ping':
        // Answered between analyses: a process stuck in one never answers, and the watchdog restarts it.
        return send({ type: 'pong' });
      case 'question':
        return send(answer(message.id, message.kind, message.kql));
      case 'fault':
        if (faults) actOut(message.fault);
        return;
    }
  });
  // The pool closed its end, or is gone: nothing is left to answer.
  process.once('disconnect', () => process.exit(0));
  // A process stuck in one analysis reads no 'disconnect': it still ends with the bot that started it.
  endWithParent();
  // Its starter ends it (closing the channel, or SIGKILL). A stop signal sent to the whole process group
  // (Ctrl+C in a terminal, a supervisor's stop) is for the starter, which stops gracefully: its running
  // hunts still need their analyses.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
  warmUpKql().then(
    () => send({ type: 'warm' }),
    (error: unknown) => send({ type: 'warm-failed', message: errorMessage(error) }),
  );
}

function analysisOf(ready: Analyses, id: number, kql: string): ParserStatusMessage {
  try {
    const patchedBefore = ready.stats?.patched;
    const analysis = JSON.stringify(ready.analysis(kql));
    return ready.stats && ready.stats.patched !== patchedBefore ? { type: 'analysis', id, analysis, fromTemplate: true } : { type: 'analysis', id, analysis };
  } catch (error) {
    return { type: 'analysis', id, error: errorMessage(error) };
  }
}

function answer(id: number, kind: KqlQuestionKind, kql: string): ParserStatusMessage {
  try {
    return { type: 'answer', id, answer: answerKqlQuestion(kind, kql) };
  } catch (error) {
    return { type: 'answer', id, error: errorMessage(error) };
  }
}

/** A test's fault, acted out for real in this process. */
function actOut(fault: ParserFault): void {
  switch (fault) {
    case 'crash':
      setImmediate(() => {
        throw new Error('injected crash in the Kusto parser process');
      });
      return;
    case 'exit':
      process.exit(7);
      return;
    case 'out-of-memory': {
      // Small blocks, as a runaway would grow, until V8 reaches the process's heap ceiling and ends it.
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array<number>(1_000_000).fill(hoard.length));
    }
    case 'hang':
      // Stuck for good, as a parser stuck in one query would be: the main thread answers no ping and reads
      // no 'disconnect'. Blocked rather than spinning, so a test's stuck process does not burn a core
      // until the watchdog (or the guard thread) ends it; what the pool sees is the same.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      return;
  }
}

/** The environment variable that carries a parser process's ParserProcessData (set only in that process). */
export const PARSER_PROCESS_ENV = 'HUNTBOT_PARSER_PROCESS';

const started = process.env[PARSER_PROCESS_ENV];
if (started !== undefined && process.send) serveParser(JSON.parse(started) as ParserProcessData);
