/**
 * How one published hunt fared on the embedded engine: the classes the corpus benchmark counts,
 * decided from what the checker and the engine said (their error types and diagnostic codes).
 */
import { KqlLimitError, KqlQueryError, KqlRuntimeError, KqlUnsupportedError, type KqlDiagnostic, type QueryResult } from '../../src/kql';

export type OutcomeClass =
  | 'runs'
  | 'refused-construct'
  | 'unknown-table'
  | 'unknown-column'
  | 'unknown-function'
  | 'parser-error'
  | 'runtime-error'
  | 'timeout'
  | 'limit'
  | 'crash';

export interface Outcome {
  class: OutcomeClass;
  /** runs: rows returned. */
  rows?: number;
  /** The construct refused, the names not found, or the limit reached. */
  names?: string[];
  /** The first line of what the engine said. */
  message?: string;
}

// Kusto.Language's codes for a name it cannot resolve (the official parser's diagnostics).
const UNKNOWN_TABLE = /^The name '(.+)' does not refer to any known table/;
const UNKNOWN_COLUMN = /^The name '(.+)' does not refer to any known column/;
const UNKNOWN_FUNCTION = /^The name '(.+)' does not refer to any known function/;
/** The engine wraps an unexpected exception in its own runtime error with this prefix: a bug, not a verdict. */
const INTERNAL_FAILURE_PREFIX = 'Evaluation failed:';

function namesMatching(diagnostics: readonly KqlDiagnostic[], pattern: RegExp): string[] {
  const names = new Set<string>();
  for (const d of diagnostics) {
    const match = pattern.exec(d.message);
    if (match) names.add(match[1]);
  }
  return [...names];
}

/** The class of a query the analyser rejected: missing tables first (they explain the columns), then columns, functions, syntax. */
export function classifyDiagnostics(diagnostics: readonly KqlDiagnostic[]): Outcome {
  const errors = diagnostics.filter((d) => d.severity === 'Error');
  const message = errors[0] ? `${errors[0].code}: ${errors[0].message}` : undefined;
  for (const [cls, pattern] of [
    ['unknown-table', UNKNOWN_TABLE],
    ['unknown-column', UNKNOWN_COLUMN],
    ['unknown-function', UNKNOWN_FUNCTION],
  ] as const) {
    const names = namesMatching(errors, pattern);
    if (names.length > 0) return { class: cls, names, message };
  }
  return { class: 'parser-error', message };
}

/** The class of what engine.query() threw. */
export function classifyError(error: unknown): Outcome {
  if (error instanceof KqlQueryError) return classifyDiagnostics(error.diagnostics);
  if (error instanceof KqlUnsupportedError) return { class: 'refused-construct', names: [error.construct], message: error.message };
  if (error instanceof KqlLimitError) {
    return { class: error.limit === 'time' ? 'timeout' : 'limit', names: [error.limit], message: error.message };
  }
  if (error instanceof KqlRuntimeError && !error.message.startsWith(INTERNAL_FAILURE_PREFIX)) {
    return { class: 'runtime-error', message: error.message };
  }
  return { class: 'crash', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/** Runs the query through `run` and classifies the result or the error; never throws. */
export function classifyRun(run: () => QueryResult): Outcome {
  try {
    return { class: 'runs', rows: run().rows.length };
  } catch (error) {
    return classifyError(error);
  }
}
