import { KqlAnalyzer } from './parser/analyzer';
import { kustoRuntime } from './parser/bridge-runtime';
import { defenderCatalog } from './parser/catalog';
import type { KqlDiagnostic } from './types';

let defaultAnalyzer: KqlAnalyzer | null = null;

function analyzer(): KqlAnalyzer {
  return (defaultAnalyzer ??= new KqlAnalyzer(defenderCatalog()));
}

/** Parse + analyse against the Defender tables and `_GetWatchlist`; [] when the query is fine. */
export function checkQuery(kql: string): KqlDiagnostic[] {
  return analyzer().analyze(kql).diagnostics;
}

const WARM_UP_QUERY = `let Start = now(-5d);
DeviceFileCertificateInfo
| where Timestamp between (Start .. now()) and Signer has 'x'
| summarize FirstSeen=min(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

let warmedUp: Promise<void> | null = null;

/** Loads the parser and runs one representative analysis, paying the 1-3 s first-parse cost once per process. */
export function warmUpKql(): Promise<void> {
  warmedUp ??= Promise.resolve()
    .then(() => {
      kustoRuntime();
      analyzer().analyze(WARM_UP_QUERY);
    })
    .catch((error: unknown) => {
      warmedUp = null; // let a later call retry
      throw error;
    });
  return warmedUp;
}
