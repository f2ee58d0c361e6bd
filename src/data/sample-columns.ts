import { type DatabaseProvenance, KqlDatabase } from '../kql/database';
import type { Column } from '../kql/storage/column';
import { DateTimeBuilder, columnBuilder } from '../kql/storage/column-builder';
import { Table } from '../kql/storage/table';
import type { KustoType } from '../kql/types';
import { TELEMETRY_TABLES, type TelemetryOptions, telemetryRowValues } from './generator';
import { type RowLayout, type RowValues, iso, rowLayout } from './row-layout';

/**
 * The generated telemetry as an engine database, its columns built straight from the generator's
 * RowValues (in shared memory when `shared`): the same tables, in the same order, as
 * `KqlDatabase.fromRows(generateTelemetry(options))`, without a row object per row or an ISO string
 * per datetime to write and parse back.
 */
export function telemetryDatabase(options: TelemetryOptions, provenance: DatabaseProvenance = {}, shared = false): KqlDatabase {
  // generateTelemetry's tables: every selected table, even without rows, then the hunting tables that have rows.
  const tables = new Map<string, Table | null>();
  for (const table of options.tables ?? TELEMETRY_TABLES) tables.set(table, null);
  // The rows come table by table: each table is built when the next begins, so only one table's rows are kept at a time.
  let pending: { table: string; rows: RowValues[] } | undefined;
  const build = () => {
    if (pending) tables.set(pending.table, tableOf(rowLayout(pending.table), pending.rows, shared));
  };
  for (const { table, values } of telemetryRowValues(options)) {
    if (pending?.table !== table) {
      if (tables.get(table)) throw new Error(`the generator gave rows of ${table} after those of another table`);
      build();
      pending = { table, rows: [] };
    }
    pending.rows.push(values);
  }
  build();
  return KqlDatabase.fromTables(
    [...tables].map(([table, data]) => ({ schema: rowLayout(table).schema, data: data ?? tableOf(rowLayout(table), [], shared) })),
    [],
    provenance,
  );
}

function tableOf(layout: RowLayout, rows: readonly RowValues[], shared: boolean): Table {
  const { columns } = layout.schema;
  return new Table(
    columns.map((c) => ({ name: c.name, type: c.type })),
    columns.map((c, slot) => columnOf(c.type, slot, rows, shared)),
    rows.length,
  );
}

/** Past the last millisecond that toISOString writes with a four-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;

function columnOf(type: KustoType, slot: number, rows: readonly RowValues[], shared: boolean): Column {
  const builder = columnBuilder(type, rows.length, shared);
  if (builder instanceof DateTimeBuilder) {
    for (const row of rows) {
      const value = row[slot];
      // A whole millisecond is stored as its ISO string parses; any other number goes through that string.
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < YEAR_10000_MS) builder.appendMsAndTicks(value, 0);
      else builder.appendRaw(typeof value === 'number' ? iso(value) : value);
    }
  } else {
    for (const row of rows) builder.appendRaw(row[slot]);
  }
  return builder.build();
}
