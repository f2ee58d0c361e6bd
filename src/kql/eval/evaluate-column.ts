import type { SyntaxNode } from '../parser/syntax-node';
import { type Column, StringColumn } from '../storage/column';
import { columnBuilder } from '../storage/column-builder';
import type { KustoType } from '../types';
import type { Value } from '../values/value';
import type { Scope } from './compiled';
import { liftOverDictionary } from './dictionary';
import { compileScalar } from './scalar';

/**
 * Evaluates a scalar expression for the given physical rows into a new column (row k of the result
 * is physical row rows[k]). Expressions of one string column are computed per distinct value.
 */
export function evaluateColumn(node: SyntaxNode, scope: Scope, rows: Uint32Array, type?: KustoType): Column {
  const compiled = compileScalar(node, scope);
  const outType = type ?? compiled.type;
  if (compiled.source && compiled.source.type === outType) return compiled.source.gather(rows);
  const lift = liftOverDictionary(node, compiled, scope, rows.length);
  if (lift && outType === 'string') return remapDictionary(lift.column, lift.lut, rows);
  const builder = columnBuilder(outType, rows.length);
  if (lift) {
    const { lut } = lift;
    const codes = lift.column.codes;
    for (let k = 0; k < rows.length; k++) builder.append(lut[codes[rows[k]]]);
    return builder.build();
  }
  if (compiled.constant) {
    const v = compiled.eval(-1);
    for (let k = 0; k < rows.length; k++) builder.append(v);
    return builder.build();
  }
  const f = compiled.eval;
  const budget = scope.ctx.budget;
  for (let k = 0; k < rows.length; k++) {
    budget.work(1);
    builder.append(f(rows[k]));
  }
  return builder.build();
}

/** A string column whose values are lut[old code], with equal results sharing one code. */
function remapDictionary(source: StringColumn, lut: Value[], rows: Uint32Array): StringColumn {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const remap = new Uint32Array(lut.length);
  for (let c = 0; c < lut.length; c++) {
    const s = (lut[c] as string | null) ?? '';
    let code = index.get(s);
    if (code === undefined) {
      code = dict.length;
      dict.push(s);
      index.set(s, code);
    }
    remap[c] = code;
  }
  const codes = new Uint32Array(rows.length);
  for (let k = 0; k < rows.length; k++) codes[k] = remap[source.codes[rows[k]]];
  return new StringColumn(dict, codes);
}
