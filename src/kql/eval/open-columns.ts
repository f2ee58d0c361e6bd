import type { ColumnInfo } from '../parser/syntax-node';
import type { Table } from '../storage/table';

/**
 * Tables whose columns come from the data (evaluate pivot and bag_unpack without an output schema)
 * and the tables computed from them. The analyser knows only the columns a query names, and types
 * those it cannot know dynamic; the engine knows them all once the operator ran.
 */
const OPEN = new WeakSet<Table>();

export function markOpen(table: Table): Table {
  OPEN.add(table);
  return table;
}

/**
 * An operator's result over an open input, when it has every column the analyser expects: kept with
 * its own (run-time) columns, matched by name, never by position; null when the usual rules apply.
 */
export function openResult(table: Table, output: readonly ColumnInfo[], input: Table | undefined): Table | null {
  if (!input || !OPEN.has(input)) return null;
  if (!output.every((c) => table.indexOf(c.name) >= 0)) return null;
  return markOpen(table);
}
