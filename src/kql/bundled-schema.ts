import defenderXdrDocument from '../../schemas/defender-xdr.json';
import sentinelDocument from '../../schemas/sentinel.json';
import type { TableSchema } from './schema';
import { parseSchemaDocument, type WorkspaceSchema } from './schema-file';

/**
 * The schema shipped with the package, read once from its data files through the same reader as a
 * `--schema` file or a workspace's metadata: used by the parser check in local mode, as the fallback
 * in Sentinel mode, and by the embedded engine to type the tables it loads.
 */
const defenderXdr = parseSchemaDocument(defenderXdrDocument, 'schemas/defender-xdr.json');
const sentinel = parseSchemaDocument(sentinelDocument, 'schemas/sentinel.json');

/** Every Defender XDR advanced-hunting table (schemas/defender-xdr.json). */
export const DEFENDER_TABLES: readonly TableSchema[] = defenderXdr.tables;

/** The common Microsoft Sentinel tables (schemas/sentinel.json). */
export const SENTINEL_TABLES: readonly TableSchema[] = sentinel.tables;

/** Both files: what the bot checks against without a workspace schema. */
export const BUNDLED_SCHEMA: WorkspaceSchema = {
  tables: [...defenderXdr.tables, ...sentinel.tables.filter((t) => !defenderXdr.tables.some((d) => d.name === t.name))],
  functions: [],
  notes: [...defenderXdr.notes, ...sentinel.notes],
};
