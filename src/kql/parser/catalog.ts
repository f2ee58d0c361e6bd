import { BUNDLED_SCHEMA } from '../bundled-schema';
import { EXCLUSION_WATCHLIST_COLUMNS, type FunctionDeclaration, type TableSchema } from '../schema';
import type { WorkspaceSchema } from '../schema-file';

export type { FunctionDeclaration } from '../schema';

/** Everything a query may reference by name: tables and functions. */
export interface SchemaCatalog {
  tables: readonly TableSchema[];
  functions: readonly FunctionDeclaration[];
}

export const WATCHLIST_FUNCTION = '_GetWatchlist';

/** `['name']`: safe for any column or table name in schema text. */
export function quoteName(name: string): string {
  return `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** "(A:string, B:long)" for the analyser's TableSymbol / datatable syntax. */
export function schemaText(columns: TableSchema['columns']): string {
  return `(${columns.map((c) => `${quoteName(c.name)}:${c.type}`).join(', ')})`;
}

export const WATCHLIST_FUNCTION_DECLARATION: FunctionDeclaration = {
  name: WATCHLIST_FUNCTION,
  parameters: '(watchlistAlias:string)',
  body: `{ datatable${schemaText(EXCLUSION_WATCHLIST_COLUMNS)}[] }`,
};

/**
 * A workspace schema (the bundled one by default) plus `_GetWatchlist` with the bot's exclusion
 * columns, optionally with extra tables (data files the schema does not describe).
 */
export function catalogOf(schema: WorkspaceSchema = BUNDLED_SCHEMA, extraTables: readonly TableSchema[] = []): SchemaCatalog {
  const known = new Set(schema.tables.map((t) => t.name));
  return {
    tables: [...schema.tables, ...extraTables.filter((t) => !known.has(t.name))],
    functions: [WATCHLIST_FUNCTION_DECLARATION, ...schema.functions.filter((f) => f.name !== WATCHLIST_FUNCTION)],
  };
}
