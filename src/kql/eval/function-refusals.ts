import type { SyntaxNode } from '../parser/syntax-node';
import { HASHABLE_TYPES } from './functions-hash';
import { isTupleFunction } from './series/tuple-functions';

/** Functions Kusto has whose results the engine cannot reproduce, and why. */
const UNREPRODUCIBLE: Readonly<Record<string, string>> = {
  hash_combine: 'Kusto does not document how it combines hashes, so its values cannot be reproduced locally',
  hash_many: 'Kusto does not document how it combines hashes, so its values cannot be reproduced locally',
};

/**
 * Why a call of a known function cannot run, from its name and its arguments' analysed types; null
 * when it can. Checked before any row is read, like every other refusal.
 */
export function functionCallProblem(node: SyntaxNode, name: string): string | null {
  const reason = UNREPRODUCIBLE[name];
  if (reason) return `the function ${name}() (${reason})`;
  if (name === 'hash' || name === 'hash_xxhash64') {
    const source = node.child('ArgumentList')?.list('Expressions')[0];
    const type = source?.scalarType;
    if (type && !HASHABLE_TYPES.has(type)) {
      return `${name}() of a ${type} value (the documentation shows which bytes Kusto hashes for strings and datetimes, and .NET's layout gives long, int and real; not ${type})`;
    }
  }
  return null;
}

/** Operators whose items may be `Name = expr`, where `(a, b) = expr` needs a function returning several values. */
const ROW_OPERATORS: ReadonlySet<string> = new Set(['ExtendOperator', 'ProjectOperator', 'PrintOperator']);

/**
 * `(a, b) = ...` outside summarize: Kusto's analyser accepts it only when the right side returns
 * several values (series_fit_line(), series_decompose(), ...); the engine splits those it implements
 * (src/kql/eval/series/tuple-functions.ts) and says so before the query runs for any other.
 */
export function severalNamesProblem(op: SyntaxNode): string | null {
  if (!ROW_OPERATORS.has(op.kind)) return null;
  const item = op.list('Expressions').find((e) => e.kind === 'CompoundNamedExpression');
  if (!item) return null;
  const call = item.required('Expression');
  const name = call.kind === 'FunctionCallExpression' ? (call.child('Name')?.symbol?.name ?? call.child('Name')?.text.trim() ?? '') : '';
  if (isTupleFunction(name)) return null;
  return `assigning several names at once outside summarize ('(a, b) = f(...)': Kusto allows it only for functions that return several values, such as series_fit_line(); ${name ? `${name}() is not one the engine splits into columns` : 'this right side is not one'})`;
}
