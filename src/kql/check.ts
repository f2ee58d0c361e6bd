import { KqlAnalyzer } from './parser/analyzer';
import { type BridgeElement, kustoRuntime } from './parser/bridge-runtime';
import { catalogOf } from './parser/catalog';
import type { WorkspaceSchema } from './schema-file';
import type { KqlDiagnostic } from './types';

let defaultAnalyzer: KqlAnalyzer | null = null;

function analyzer(): KqlAnalyzer {
  return (defaultAnalyzer ??= new KqlAnalyzer(catalogOf()));
}

/** Parse + analyse against the bundled schema (schemas/*.json) and `_GetWatchlist`; [] when the query is fine. */
export function checkQuery(kql: string): KqlDiagnostic[] {
  return analyzer().diagnostics(kql);
}

/** A checker like checkQuery against another schema: a workspace's, or a `--schema` file's. */
export function queryCheckerFor(schema: WorkspaceSchema): (kql: string) => KqlDiagnostic[] {
  const own = new KqlAnalyzer(catalogOf(schema));
  return (kql) => own.diagnostics(kql);
}

/**
 * The text of every token the official parser finds, in order. Comments and whitespace are trivia
 * in Kusto's syntax tree, so they never appear; a string literal is one token, quotes included.
 */
export function queryTokens(kql: string): string[] {
  const tokens: string[] = [];
  const pending: BridgeElement[] = [kustoRuntime().language.KustoCode.Parse(kql).Syntax];
  while (pending.length > 0) {
    const element = pending.pop()!;
    if (element.IsToken) {
      if (element.Text) tokens.push(element.Text);
      continue;
    }
    for (let i = element.ChildCount - 1; i >= 0; i--) {
      const child = element.GetChild(i);
      if (child) pending.push(child);
    }
  }
  return tokens;
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
