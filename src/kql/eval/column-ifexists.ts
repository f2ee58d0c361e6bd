import { columnRead } from './compiled';
import type { FunctionImpl } from './function-call';

/**
 * column_ifexists(name, default) (deprecated alias columnifexists): the column `name` of the rows
 * when they have one, else `default`. The name is a constant, so this is decided once, against the
 * schema of the operator's input, as Kusto's analyser decides it.
 */
export const columnIfExists: FunctionImpl = ({ args, scope }) => {
  const [name, fallback] = args;
  const columnName = name.constant ? name.eval(-1) : null;
  const table = scope.table;
  const index = typeof columnName === 'string' && table ? table.indexOf(columnName) : -1;
  if (!table || index < 0) return fallback;
  // Read like a column reference, including the per-distinct-value override of dictionary.ts.
  const override = scope.override;
  if (override && override.column === index) return columnRead('string', index, () => override.current);
  const column = table.columns[index];
  return columnRead(table.fields[index].type, index, (i) => column.get(i), column);
};
