import type { KustoType } from './types';

/**
 * A table's column schema. The tables themselves are data, not code: `schemas/defender-xdr.json`
 * (every Defender XDR advanced-hunting table, from the published reference) and
 * `schemas/sentinel.json` (common Sentinel tables), read by bundled-schema.ts. Defender event tables
 * carry both Timestamp and TimeGenerated, holding the same instant, so a hunt written for either
 * surface (Defender advanced hunting or a Sentinel workspace) runs locally.
 */
export interface TableSchema {
  name: string;
  columns: ReadonlyArray<{ name: string; type: KustoType }>;
}

/** A workspace function the analyser should know, in Kusto's declaration syntax. */
export interface FunctionDeclaration {
  name: string;
  /** Parameter list, e.g. "(watchlistAlias:string)". */
  parameters: string;
  /** Body in braces; only its result schema matters to the analyser, e.g. "{ datatable(A:string)[] }". */
  body: string;
}

/**
 * Columns that `_GetWatchlist(alias)` returns for the bot's exclusion watchlist. Sentinel returns
 * the item's CSV columns as strings plus SearchKey and bookkeeping columns.
 */
export const EXCLUSION_WATCHLIST_COLUMNS: ReadonlyArray<{ name: string; type: KustoType }> = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
  { name: 'HuntKey', type: 'string' },
  { name: 'DeviceId', type: 'string' },
  { name: 'DeviceName', type: 'string' },
  { name: 'Scenario', type: 'string' },
  { name: 'Justification', type: 'string' },
  { name: 'TaggedByUpn', type: 'string' },
  { name: 'TaggedByAadObjectId', type: 'string' },
  { name: 'TaggedByName', type: 'string' },
  { name: 'TaggedAtUtc', type: 'string' },
  { name: 'ExpiresAtUtc', type: 'string' },
];
