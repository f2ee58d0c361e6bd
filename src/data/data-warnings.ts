import type { DataWarning } from '../domain/data-warning';
import type { KqlDatabase } from '../kql/database';

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
