import { type Column, StringColumn } from '../storage/column';
import type { Table } from '../storage/table';
import type { KustoType } from '../types';
import { toKustoString } from '../values/convert';
import type { StringTest } from './string-ops';

/**
 * `* has "x"` and search terms: a string test over every column of a row (search operator page:
 * `search "err"` is `where * has "err"`). Non-string columns are tested in their text form.
 */

/** Characters the text form of a value of each non-string type can hold: a term needing others never matches it. */
const TEXT_FORM: Partial<Record<KustoType, RegExp>> = {
  long: /^[0-9.eE+\-InfityNa]*$/,
  int: /^[0-9-]*$/,
  real: /^[0-9.eE+\-InfityNa]*$/,
  decimal: /^[0-9.eE+-]*$/,
  datetime: /^[0-9.\-:TZtz]*$/,
  timespan: /^[0-9.\-:]*$/,
  bool: /^[truefalsTRUEFALS]*$/,
  guid: /^[0-9a-fA-F-]*$/,
};

/** Does `test` hold for the value of `column` at a row (its text form for non-strings)? null: it never can. */
export function columnTest(column: Column, type: KustoType, test: StringTest, literal: string): ((i: number) => boolean) | null {
  if (column instanceof StringColumn) {
    const dict = column.dict;
    const codes = column.codes;
    const known = new Uint8Array(dict.length); // 0 not yet, 1 true, 2 false: each distinct value is tested once
    return (i) => {
      const code = codes[i];
      let v = known[code];
      if (v === 0) known[code] = v = test(dict[code]) ? 1 : 2;
      return v === 1;
    };
  }
  const form = TEXT_FORM[type];
  if (form && !form.test(literal.replace(/\*/g, ''))) return null;
  return (i) => {
    const value = column.get(i);
    return value !== null && test(toKustoString(value, type));
  };
}

/** True when any column of the table passes `test` at the row. */
export function anyColumn(table: Table, test: StringTest, literal: string): (i: number) => boolean {
  const tests = table.columns.map((c, k) => columnTest(c, table.fields[k].type, test, literal)).filter((t) => t !== null);
  return (i) => {
    for (const t of tests) if (t(i)) return true;
    return false;
  };
}
