import type { KqlDiagnostic } from './types';

/** Where in the query text something is: offset plus 1-based line/column. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

export function positionText(position: SourcePosition): string {
  return `line ${position.line}, column ${position.column}`;
}

/** The query has syntax or semantic errors (per the official analyser); it was not evaluated. */
export class KqlQueryError extends Error {
  constructor(readonly diagnostics: KqlDiagnostic[]) {
    const first = diagnostics[0];
    // Diagnostics at the first one's position are its echo (`top 2` gives "Expected: by" and "Missing expression").
    const others = diagnostics.filter((d) => d.start !== first?.start).length;
    const more = others > 0 ? ` (and ${others} more)` : '';
    super(
      first
        ? `${first.code} at line ${first.line}, column ${first.column}: ${first.message}${more}`
        : 'The query is not valid',
    );
    this.name = 'KqlQueryError';
  }
}

/** The query is valid KQL but uses a construct the embedded engine does not evaluate. */
export class KqlUnsupportedError extends Error {
  constructor(
    /** The syntax kind or function, e.g. "MatchesRegexExpression", "function hash_sha256". */
    readonly construct: string,
    readonly position: SourcePosition,
    snippet?: string,
  ) {
    super(
      `The embedded KQL engine does not support ${construct}${snippet ? ` ('${shorten(snippet)}')` : ''} at ${positionText(position)}`,
    );
    this.name = 'KqlUnsupportedError';
  }
}

/** Evaluation failed on valid, supported KQL (e.g. a bad regular expression). */
export class KqlRuntimeError extends Error {
  constructor(
    message: string,
    readonly position?: SourcePosition,
  ) {
    super(position ? `${message} at ${positionText(position)}` : message);
    this.name = 'KqlRuntimeError';
  }
}

/** Which limit of a query was reached: its row budget, its time, its memory, or its caller cancelled it. */
export type KqlLimit = 'rows' | 'time' | 'memory' | 'cancelled';

/** Evaluation was stopped by one of the query's limits (QueryLimits); the message names what and where. */
export class KqlLimitError extends Error {
  constructor(
    readonly limit: KqlLimit,
    message: string,
    /** False when no engine setting could have allowed it (more memory than the machine or the thread has). */
    readonly bySetting = true,
  ) {
    super(message);
    this.name = 'KqlLimitError';
  }
}

/** A data file could not be read: which file, which 1-based line (0 when not line-specific), why. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`, options);
    this.name = 'DataFileError';
  }
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
