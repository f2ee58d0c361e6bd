/**
 * The tabular result every query backend returns: the Log Analytics wire shape, made plain.
 * Cells are JSON-safe so results can cross worker threads, be stored, and be printed by the CLI:
 * datetime -> ISO 8601 UTC string, dynamic -> parsed JSON value, timespan -> Kusto text (d.hh:mm:ss),
 * long/int/real -> number, bool -> boolean, missing -> null.
 */
export type KustoType =
  | 'bool'
  | 'datetime'
  | 'dynamic'
  | 'int'
  | 'long'
  | 'real'
  | 'string'
  | 'timespan'
  | 'guid'
  | 'decimal';

/** Every Kusto scalar type name, for checking type names that come from outside (the parser, the wire). */
export const KUSTO_TYPES: ReadonlySet<string> = new Set<KustoType>([
  'bool',
  'datetime',
  'dynamic',
  'int',
  'long',
  'real',
  'string',
  'timespan',
  'guid',
  'decimal',
]);

export interface ResultColumn {
  name: string;
  type: KustoType;
}

export type Cell = string | number | boolean | null | unknown[] | { [key: string]: unknown };

export interface QueryResult {
  columns: ResultColumn[];
  rows: Cell[][];
  /** The chart a `render` operator asked for (timechart, piechart...): not drawn locally, so a card can say so. */
  chart?: string;
}

/** One diagnostic from the official Kusto parser/analyser, with a 1-based line/column for people. */
export interface KqlDiagnostic {
  severity: 'Error' | 'Warning' | 'Suggestion' | 'Information' | string;
  code: string;
  message: string;
  start: number;
  length: number;
  line: number;
  column: number;
}
