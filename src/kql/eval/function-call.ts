import type { SyntaxNode } from '../parser/syntax-node';
import type { KustoType } from '../types';
import type { Value } from '../values/value';
import type { Compiled, Scope } from './compiled';
import { stringOperand } from './scalar-helpers';

/** One call of a built-in scalar function, compiled: its arguments and the analyser's result type. */
export interface Call {
  node: SyntaxNode;
  argNodes: SyntaxNode[];
  args: Compiled[];
  type: KustoType;
  scope: Scope;
}

export type FunctionImpl = (call: Call) => Compiled;

/** An argument read as text ("" for null). */
export function str(c: Compiled): (i: number) => string {
  const f = stringOperand(c);
  return (i) => (f(i) as string | null) ?? '';
}

/** An argument read as a number, or null. */
export function num(c: Compiled | undefined): (i: number) => number | null {
  if (!c) return () => null;
  const f = c.eval;
  return (i) => {
    const v = f(i);
    if (v === null) return null;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  };
}

/** A function of values that are never folded to a constant (new_guid(), rand()): each row gets its own. */
export function volatile(type: KustoType, fn: (i: number) => Value): Compiled {
  return { type, eval: fn, constant: false, columns: new Set(), volatile: true };
}
