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

export const FILE_PROFILE_FUNCTION = 'FileProfile';

/** The columns Defender's FileProfile() documents adding to each row (advanced hunting FileProfile page). */
export const FILE_PROFILE_COLUMNS: TableSchema['columns'] = [
  { name: 'SHA1', type: 'string' },
  { name: 'SHA256', type: 'string' },
  { name: 'MD5', type: 'string' },
  { name: 'FileSize', type: 'long' },
  { name: 'GlobalPrevalence', type: 'long' },
  { name: 'GlobalFirstSeen', type: 'datetime' },
  { name: 'GlobalLastSeen', type: 'datetime' },
  { name: 'Signer', type: 'string' },
  { name: 'Issuer', type: 'string' },
  { name: 'SignerHash', type: 'string' },
  { name: 'IsCertificateValid', type: 'bool' },
  { name: 'IsRootSignerMicrosoft', type: 'bool' },
  { name: 'SignatureState', type: 'string' },
  { name: 'IsExecutable', type: 'bool' },
  { name: 'ThreatName', type: 'string' },
  { name: 'Publisher', type: 'string' },
  { name: 'SoftwareName', type: 'string' },
  { name: 'ProfileAvailability', type: 'string' },
];

/** `T | invoke FileProfile(x = SHA1, y = 1000)`: the analyser only needs its result schema (T plus the profile columns). */
export const FILE_PROFILE_DECLARATION: FunctionDeclaration = {
  name: FILE_PROFILE_FUNCTION,
  parameters: "(T:(*), x:string = 'SHA1', y:int = 1000)",
  body: `{ T | extend ${FILE_PROFILE_COLUMNS.map((c) => `${quoteName(c.name)} = ${c.type === 'string' ? "''" : `${c.type}(null)`}`).join(', ')} }`,
};

/**
 * A workspace schema (the bundled one by default) plus `_GetWatchlist` with the bot's exclusion
 * columns, optionally with extra tables (data files the schema does not describe).
 */
export function catalogOf(schema: WorkspaceSchema = BUNDLED_SCHEMA, extraTables: readonly TableSchema[] = []): SchemaCatalog {
  const known = new Set(schema.tables.map((t) => t.name));
  return {
    tables: [...schema.tables, ...extraTables.filter((t) => !known.has(t.name))],
    // FileProfile is Defender's enrichment function; a workspace that declares its own keeps its own.
    functions: [
      WATCHLIST_FUNCTION_DECLARATION,
      ...(schema.functions.some((f) => f.name === FILE_PROFILE_FUNCTION) ? [] : [FILE_PROFILE_DECLARATION]),
      ...schema.functions.filter((f) => f.name !== WATCHLIST_FUNCTION),
    ],
  };
}
