import type { KqlDatabase } from '../kql/database';
import { DateTimeColumn } from '../kql/storage/column';

/** The columns a hunt window filters on: Timestamp (Defender) and TimeGenerated (Log Analytics). */
const TIME_COLUMNS = ['Timestamp', 'TimeGenerated'];

/**
 * The earliest and latest time stamp of every table's rows, or undefined when no row has one: what a
 * hunt window must cover to see all of a fixtures folder.
 */
export function timeSpanOf(db: KqlDatabase): { earliest: Date; latest: Date } | undefined {
  let earliest = Infinity;
  let latest = -Infinity;
  for (const name of db.tableNames()) {
    const table = db.table(name);
    if (!table) continue;
    for (const column of TIME_COLUMNS) {
      const values = table.columns[table.indexOf(column)];
      if (!(values instanceof DateTimeColumn)) continue;
      for (const ms of values.ms) {
        if (Number.isNaN(ms)) continue;
        if (ms < earliest) earliest = ms;
        if (ms > latest) latest = ms;
      }
    }
  }
  return Number.isFinite(earliest) ? { earliest: new Date(earliest), latest: new Date(latest) } : undefined;
}
