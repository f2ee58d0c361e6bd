import { DateTimeColumn } from './column';
import type { Table } from './table';

/**
 * The bundled schema gives every Defender event table both Timestamp (Defender) and TimeGenerated (Log Analytics) for the
 * same instant, so a hunt written for either surface runs locally. Data usually carries only one:
 * fill whichever is missing on a row from the other.
 */
export function fillTimeAliases(table: Table): Table {
  const a = table.columns[table.indexOf('Timestamp')];
  const b = table.columns[table.indexOf('TimeGenerated')];
  if (!(a instanceof DateTimeColumn) || !(b instanceof DateTimeColumn)) return table;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a.ms[i]) && !Number.isNaN(b.ms[i])) {
      a.ms[i] = b.ms[i];
      a.sub[i] = b.sub[i];
    } else if (Number.isNaN(b.ms[i]) && !Number.isNaN(a.ms[i])) {
      b.ms[i] = a.ms[i];
      b.sub[i] = a.sub[i];
    }
  }
  return table;
}
