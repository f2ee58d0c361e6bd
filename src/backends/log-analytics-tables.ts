import type { LogsTable } from '@azure/monitor-query-logs';
import { KUSTO_TYPES, type Cell, type KustoType, type QueryResult, type ResultColumn } from '../kql/types';


function columnType(type: string | undefined): KustoType {
  // Older API versions spell some types differently ("Int64", "SByte"...); treat unknowns as text.
  const lower = (type ?? '').toLowerCase();
  return KUSTO_TYPES.has(lower) ? (lower as KustoType) : 'string';
}

/**
 * The SDK has already turned datetime strings into Date and parsed dynamic JSON; this makes every
 * cell JSON-safe again (Date → ISO 8601 UTC) and turns undefined/invalid into null.
 */
function toCell(value: unknown, type: KustoType): Cell {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (type === 'datetime' && typeof value === 'string' && value === '') return null;
  return value as Cell;
}

/**
 * Picks the primary result (the first table, named PrimaryResult by the service) and converts it.
 * Extra tables only appear for multi-statement queries the bot does not send.
 */
export function logsTablesToQueryResult(tables: readonly LogsTable[]): QueryResult {
  const primary = tables.find((t) => t.name === 'PrimaryResult') ?? tables[0];
  if (!primary) return { columns: [], rows: [] };
  const columns: ResultColumn[] = primary.columnDescriptors.map((c, i) => ({
    name: c.name ?? `Column${i + 1}`,
    type: columnType(c.type),
  }));
  const rows = primary.rows.map((row) => columns.map((column, i) => toCell(row[i], column.type)));
  return { columns, rows };
}
