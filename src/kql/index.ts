/** The embedded KQL engine and static checker: the names other modules code against. */
export { BUNDLED_SCHEMA, DEFENDER_TABLES, SENTINEL_TABLES } from './bundled-schema';
export { checkQuery, queryCheckerFor, queryTokens, warmUpKql } from './check';
export { answerKqlQuestion, inThreadKqlQuestions, type KqlQuestionKind, type KqlQuestions } from './questions';
export { findQueryTimeWindow, type QueryTimeWindow, type TimeWindowSlot } from './time-window';
export { KqlDatabase } from './database';
export { mergeSchemas, parseSchemaDocument, SchemaFileError, type WorkspaceSchema } from './schema-file';
export { analyzerFor, KqlEngine, type QueryOptions } from './engine';
export type { QueryAnalysis } from './parser/analyzer';
export { DataFileError, KqlLimitError, KqlQueryError, KqlRuntimeError, KqlUnsupportedError, type KqlLimit, type SourcePosition } from './errors';
export type { QueryLimits } from './eval/budget';
export type { Cell, KqlDiagnostic, KustoType, QueryResult, ResultColumn } from './types';
