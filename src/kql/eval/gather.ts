import { type Column, StringColumn } from '../storage/column';
import { columnBuilder } from '../storage/column-builder';
import type { KustoType } from '../types';
import { emptyValue } from '../values/value';

/** Like Column.gather, but a row index of -1 yields the type's empty value (null, or "" for strings). */
export function gatherOrEmpty(column: Column, rows: Int32Array, type: KustoType): Column {
  if (column instanceof StringColumn) {
    let emptyCode = column.dict.indexOf('');
    const dict = emptyCode >= 0 ? column.dict : [...column.dict, ''];
    if (emptyCode < 0) emptyCode = dict.length - 1;
    const codes = new Uint32Array(rows.length);
    for (let k = 0; k < rows.length; k++) codes[k] = rows[k] < 0 ? emptyCode : column.codes[rows[k]];
    return new StringColumn(dict, codes);
  }
  const b = columnBuilder(type, rows.length);
  const empty = emptyValue(type);
  for (let k = 0; k < rows.length; k++) b.append(rows[k] < 0 ? empty : column.get(rows[k]));
  return b.build();
}
