import { KqlRuntimeError } from '../errors';
import type { SyntaxNode } from '../parser/syntax-node';
import type { KustoType } from '../types';
import { fromDynamic, toKustoString } from '../values/convert';
import type { Value } from '../values/value';
import type { Compiled, RowFn, Scope } from './compiled';
import { kustoRegex } from './string-ops';

/** A compiled operand read as `target` type (dynamic values are converted; others pass through). */
export function asType(c: Compiled, target: KustoType): Compiled {
  if (c.type !== 'dynamic' || target === 'dynamic') return c;
  const f = c.eval;
  return { ...c, type: target, eval: (i) => fromDynamic(f(i), target), source: undefined };
}

/** The left side of a string operator as text; null only when a non-string value is null. */
export function stringOperand(c: Compiled): RowFn {
  if (c.type === 'string') return c.eval;
  const f = c.eval;
  const t = c.type;
  return (i) => {
    const v = f(i);
    return v === null ? null : toKustoString(v, t);
  };
}

/** A RegExp for a Kusto pattern, or a runtime error naming where the pattern came from. */
export function buildRegex(pattern: string, node: SyntaxNode, scope: Scope, flags = ''): RegExp {
  try {
    return kustoRegex(pattern, flags);
  } catch {
    try {
      return new RegExp(pattern.replace(/^\(\?i\)/, ''), pattern.startsWith('(?i)') ? `${flags}i` : flags);
    } catch (e) {
      throw new KqlRuntimeError(`Invalid regular expression '${pattern}': ${(e as Error).message}`, scope.ctx.position(node));
    }
  }
}

/** `base.key` / `base[key]` on a dynamic value; null when absent. */
export function dynamicGet(base: unknown, key: string | number): Value {
  if (base === null || base === undefined || typeof base !== 'object') return null;
  let v: unknown;
  if (Array.isArray(base)) {
    if (typeof key !== 'number') return null;
    v = base[key < 0 ? base.length + key : key];
  } else {
    v = (base as Record<string, unknown>)[String(key)];
  }
  return v === undefined ? null : (v as Value);
}

