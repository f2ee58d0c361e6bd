import { analyzerFor } from '../kql/engine';
import { errorMessage } from '../util/error-message';
import type { AnalysisReply, AnalysisRequest } from './analysis-process';

/**
 * The analysis process's side (bin/kql-analyser.js, started from the parser's snapshot): answers each
 * request on the IPC channel with the analysis this process's parser makes, or why it could not, and
 * ends when the parent disconnects (answered, or gone).
 */
export function serveAnalyses(): void {
  process.on('message', (request: AnalysisRequest) => {
    let reply: AnalysisReply;
    try {
      reply = { id: request.id, analysis: JSON.stringify(analyzerFor(request.extraSchemas).analysis(request.kql)) };
    } catch (error) {
      reply = { id: request.id, error: errorMessage(error) };
    }
    // The parent may have let go while this analysis was made (its data failed to load, or it ended): nothing to say then.
    if (process.connected) process.send?.(reply, undefined, {}, () => undefined);
  });
  process.once('disconnect', () => process.exit(0));
}
