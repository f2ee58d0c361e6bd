import type { KqlDatabase } from '../kql/database';

/**
 * What a result cannot vouch for because of the data behind it: a table the query reads that holds
 * no rows ("0 devices" would then only mean "could not look"), or rows of it no hunt can see.
 */
export interface DataWarning {
  table: string;
  kind: 'no-data' | 'rows-left-out';
  message: string;
}

/** Warnings for the tables a query read, from what the database knows about its own data. */
export function dataWarningsFor(db: KqlDatabase, tables: readonly string[]): DataWarning[] {
  const where = db.provenance.source ?? 'the loaded data';
  const warnings: DataWarning[] = [];
  for (const table of tables) {
    if (db.rowCount(table) === 0) {
      warnings.push({ table, kind: 'no-data', message: `Could not look: table ${table} has no data in ${where}.` });
      continue;
    }
    for (const issue of db.provenance.tableIssues?.get(table) ?? []) warnings.push({ table, kind: 'rows-left-out', message: `${table}: ${issue}.` });
  }
  return warnings;
}
