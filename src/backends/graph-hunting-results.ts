import { KUSTO_TYPES, type Cell, type KustoType, type QueryResult, type ResultColumn } from '../kql/types';

/**
 * Graph's huntingQueryResults → the engine's QueryResult, so result shaping, device grouping, tag
 * hiding and cards treat a Defender answer exactly like a Log Analytics one.
 *
 * The reference (security-security-runhuntingquery, v1.0) shows `schema` entries both as
 * `{name, type}` and `{Name, Type}`, with .NET type names ("DateTime", "String"); rows are objects
 * keyed by column name. Dynamic values may come as JSON text (as from Log Analytics) or as JSON.
 */

/** .NET / EDM type names Defender reports, lower-cased → the Kusto type. Kusto's own names are accepted too. */
const GRAPH_TYPES: Readonly<Record<string, KustoType>> = {
  datetime: 'datetime',
  'system.datetime': 'datetime',
  datetimeoffset: 'datetime',
  string: 'string',
  'system.string': 'string',
  int64: 'long',
  'system.int64': 'long',
  int32: 'int',
  'system.int32': 'int',
  int16: 'int',
  boolean: 'bool',
  'system.boolean': 'bool',
  sbyte: 'bool',
  'system.sbyte': 'bool',
  double: 'real',
  'system.double': 'real',
  single: 'real',
  decimal: 'decimal',
  'system.data.sqltypes.sqldecimal': 'decimal',
  guid: 'guid',
  'system.guid': 'guid',
  timespan: 'timespan',
  'system.timespan': 'timespan',
  object: 'dynamic',
  'system.object': 'dynamic',
};

export class UnexpectedHuntingResponse extends Error {
  constructor(reason: string) {
    super(`Microsoft Graph sent a hunting result the bot could not read (${reason})`);
    this.name = 'UnexpectedHuntingResponse';
  }
}

export function graphColumnType(type: unknown): KustoType {
  const lower = typeof type === 'string' ? type.trim().toLowerCase() : '';
  if (KUSTO_TYPES.has(lower)) return lower as KustoType;
  // An unknown type still shows as text rather than failing the hunt.
  return GRAPH_TYPES[lower] ?? 'string';
}

function field(entry: Record<string, unknown>, name: string): unknown {
  return entry[name] ?? entry[name.charAt(0).toUpperCase() + name.slice(1)];
}

function toCell(value: unknown, type: KustoType): Cell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'datetime': {
      if (typeof value !== 'string' || value === '') return null;
      // Defender writes 7 fractional digits; ISO with milliseconds is what the Log Analytics path yields.
      const at = new Date(value);
      return Number.isNaN(at.getTime()) ? value : at.toISOString();
    }
    case 'dynamic':
      if (typeof value !== 'string') return value as Cell;
      try {
        return JSON.parse(value) as Cell;
      } catch {
        return value;
      }
    case 'bool':
      return typeof value === 'number' ? value !== 0 : (value as Cell);
    case 'long':
    case 'int':
    case 'real': {
      // Numbers written as text become numbers where that loses nothing; a long beyond 2^53 stays exact text.
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : (value as Cell);
    }
    default:
      return value as Cell;
  }
}

/** Converts a 200 body; throws UnexpectedHuntingResponse when it is not a huntingQueryResults. */
export function huntingResultsToQueryResult(body: unknown): QueryResult {
  if (typeof body !== 'object' || body === null) throw new UnexpectedHuntingResponse('not a JSON object');
  const record = body as Record<string, unknown>;
  const schema = field(record, 'schema');
  const results = field(record, 'results');
  if (!Array.isArray(schema)) throw new UnexpectedHuntingResponse('no "schema" array');
  if (results !== undefined && results !== null && !Array.isArray(results)) throw new UnexpectedHuntingResponse('"results" is not an array');
  const columns: ResultColumn[] = schema.map((entry: unknown, i) => {
    const column = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const name = field(column, 'name');
    return { name: typeof name === 'string' && name !== '' ? name : `Column${i + 1}`, type: graphColumnType(field(column, 'type')) };
  });
  const rows = ((results as unknown[] | null | undefined) ?? []).map((row) => {
    const values = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
    return columns.map((column) => toCell(values[column.name], column.type));
  });
  return { columns, rows };
}
