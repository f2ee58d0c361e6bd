import type { FunctionDeclaration, TableSchema } from './schema';
import { KUSTO_TYPES, type KustoType } from './types';

/**
 * What a query may reference by name in one workspace: tables with typed columns and stored
 * functions (ASIM parsers and the like). Read from the bundled schema files, a `--schema` file, or
 * the Log Analytics metadata API (GET /v1/workspaces/{id}/metadata): all three share its shape,
 * `{ tables: [{ name, columns: [{ name, type }] }], functions: [{ name, parameters?, body }] }`.
 */
export interface WorkspaceSchema {
  tables: TableSchema[];
  functions: FunctionDeclaration[];
  /** What was skipped or guessed while reading (unknown column types, unusable functions). */
  notes: string[];
}

/** A schema document that cannot be used at all. */
export class SchemaFileError extends Error {}

/** Log Analytics and .NET spellings of Kusto types, lower-cased, to the Kusto name. */
const TYPE_ALIASES: Readonly<Record<string, KustoType>> = {
  boolean: 'bool',
  sbyte: 'bool',
  int32: 'int',
  int64: 'long',
  double: 'real',
  float: 'real',
  date: 'datetime',
  time: 'timespan',
  uniqueid: 'guid',
  object: 'dynamic',
  'system.string': 'string',
  'system.int32': 'int',
  'system.int64': 'long',
  'system.double': 'real',
  'system.boolean': 'bool',
  'system.datetime': 'datetime',
  'system.object': 'dynamic',
  'system.timespan': 'timespan',
  'system.guid': 'guid',
  'system.sbyte': 'bool',
  'system.data.sqltypes.sqldecimal': 'decimal',
};

/** The Kusto type a schema document names, or undefined when it is not one. */
export function kustoTypeOf(name: string): KustoType | undefined {
  const lower = name.trim().toLowerCase();
  if (KUSTO_TYPES.has(lower)) return lower as KustoType;
  return TYPE_ALIASES[lower];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a schema document (parsed JSON). Tables and columns with a name are kept; a column whose
 * type is not a Kusto type is typed `dynamic` (with a note) rather than losing the table; a table
 * named twice keeps its first entry. Throws SchemaFileError when the document has no `tables` list.
 */
export function parseSchemaDocument(document: unknown, source: string): WorkspaceSchema {
  if (!isRecord(document) || !Array.isArray(document.tables)) {
    throw new SchemaFileError(`${source}: not a schema document (expected an object with a "tables" list, as the Log Analytics metadata API returns)`);
  }
  const notes: string[] = [];
  const tables: TableSchema[] = [];
  const seen = new Set<string>();
  for (const entry of document.tables) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '' || !Array.isArray(entry.columns)) continue;
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    const columns: Array<{ name: string; type: KustoType }> = [];
    const columnNames = new Set<string>();
    for (const column of entry.columns) {
      if (!isRecord(column) || typeof column.name !== 'string' || column.name === '' || columnNames.has(column.name)) continue;
      columnNames.add(column.name);
      const declared = typeof column.type === 'string' ? column.type : '';
      let type = kustoTypeOf(declared);
      if (!type) {
        notes.push(`${entry.name}.${column.name}: type '${declared}' is not a Kusto type; checked as dynamic`);
        type = 'dynamic';
      }
      columns.push({ name: column.name, type });
    }
    tables.push({ name: entry.name, columns });
  }
  const functions: FunctionDeclaration[] = [];
  for (const entry of Array.isArray(document.functions) ? document.functions : []) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.body !== 'string') continue;
    const parameters = typeof entry.parameters === 'string' ? entry.parameters.trim() : '';
    functions.push({
      name: entry.name,
      parameters: parameters.startsWith('(') ? parameters : `(${parameters})`,
      body: entry.body.trim().startsWith('{') ? entry.body : `{\n${entry.body}\n}`,
    });
  }
  return { tables, functions, notes };
}

/** Both schemas' tables and functions; where a name is in both, `preferred`'s entry wins. */
export function mergeSchemas(preferred: WorkspaceSchema, fallback: WorkspaceSchema): WorkspaceSchema {
  const tableNames = new Set(preferred.tables.map((t) => t.name));
  const functionNames = new Set(preferred.functions.map((f) => f.name));
  return {
    tables: [...preferred.tables, ...fallback.tables.filter((t) => !tableNames.has(t.name))],
    functions: [...preferred.functions, ...fallback.functions.filter((f) => !functionNames.has(f.name))],
    notes: [...preferred.notes, ...fallback.notes],
  };
}
