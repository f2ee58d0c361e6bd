import { DEFENDER_TABLES, EXCLUSION_WATCHLIST_COLUMNS, type TableSchema } from '../schema';

/** A workspace function the analyser should know, in Kusto's declaration syntax. */
export interface FunctionDeclaration {
  name: string;
  /** Parameter list, e.g. "(watchlistAlias:string)". */
  parameters: string;
  /** Body in braces; only its result schema matters to the analyser, e.g. "{ datatable(A:string)[] }". */
  body: string;
}

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

/** The Defender tables from schema.ts plus `_GetWatchlist`, optionally with extra tables. */
export function defenderCatalog(extraTables: readonly TableSchema[] = []): SchemaCatalog {
  const known = new Set(DEFENDER_TABLES.map((t) => t.name));
  return {
    tables: [...DEFENDER_TABLES, ...extraTables.filter((t) => !known.has(t.name))],
    functions: [WATCHLIST_FUNCTION_DECLARATION],
  };
}
