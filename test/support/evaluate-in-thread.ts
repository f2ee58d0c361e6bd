/**
 * A bare worker thread that evaluates analysed queries over shared data with KqlEngine.evaluate, as
 * the engine workers do, and says whether the Kusto parser got loaded while it did.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { KqlDatabase, KqlEngine, type QueryAnalysis } from '../../src/kql';
import type { SharedDatabase } from '../../src/kql/database';

export interface EvaluateInThread {
  data: SharedDatabase;
  analyses: QueryAnalysis[];
  nowMs: number;
}

if (!isMainThread && parentPort) {
  const { data, analyses, nowMs } = workerData as EvaluateInThread;
  const engine = new KqlEngine(KqlDatabase.fromShared(data));
  const results = analyses.map((analysis) => {
    try {
      return { result: engine.evaluate(analysis, { now: new Date(nowMs) }).result };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  });
  const parserLoaded = 'Kusto' in globalThis || Object.keys(require.cache).some((file) => file.includes('@kusto'));
  parentPort.postMessage({ results, parserLoaded });
}
