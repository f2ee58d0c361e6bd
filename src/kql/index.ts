/** The embedded KQL engine and static checker: the names other modules code against. */
export { checkQuery, queryTokens, warmUpKql } from './check';
export { findQueryTimeWindow, type QueryTimeWindow, type TimeWindowSlot } from './time-window';
export { KqlDatabase } from './database';
export { KqlEngine, type QueryOptions } from './engine';
export { DataFileError, KqlLimitError, KqlQueryError, KqlRuntimeError, KqlUnsupportedError, type KqlLimit, type SourcePosition } from './errors';
export type { QueryLimits } from './eval/budget';
export type { Cell, KqlDiagnostic, KustoType, QueryResult, ResultColumn } from './types';
