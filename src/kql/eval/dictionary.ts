import type { SyntaxNode } from '../parser/syntax-node';
import { StringColumn } from '../storage/column';
import type { Value } from '../values/value';
import type { Compiled, Scope } from './compiled';
import { compileScalar } from './scalar';

/** An expression's value for each distinct value of the one string column it reads. */
export interface DictionaryLift {
  column: StringColumn;
  /** lut[code] = the expression's value for dict[code]. */
  lut: Value[];
  compiled: Compiled;
}

/**
 * When `compiled` reads exactly one dictionary-encoded string column (e.g. `Signer has 'x'`,
 * `tolower(Signer)`), evaluates it once per distinct value instead of once per row. Skipped when
 * the dictionary is larger than the rows it would serve.
 */
export function liftOverDictionary(node: SyntaxNode, compiled: Compiled, scope: Scope, rowCount: number): DictionaryLift | null {
  const table = scope.table;
  if (!table || compiled.constant || compiled.volatile || compiled.columns.size !== 1) return null;
  const [index] = compiled.columns;
  const column = table.columns[index];
  if (!(column instanceof StringColumn) || column.dict.length > rowCount) return null;
  const override = { column: index, current: '' };
  const perValue = compileScalar(node, { ...scope, override });
  const lut = new Array<Value>(column.dict.length);
  for (let code = 0; code < column.dict.length; code++) {
    override.current = column.dict[code];
    lut[code] = perValue.eval(-1);
  }
  return { column, lut, compiled };
}
