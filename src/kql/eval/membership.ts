import type { SyntaxNode } from '../parser/syntax-node';
import type { KustoType } from '../types';
import { fromDynamic, toKustoString } from '../values/convert';
import { keyOf, type Value } from '../values/value';
import { type Compiled, derived, type Scope } from './compiled';
import { hasTermCs } from './string-ops';

type Compile = (node: SyntaxNode, scope: Scope) => Compiled;

/**
 * The values listed on the right of in / has_any: scalars, dynamic arrays (flattened) and tabular
 * subqueries (their first column), read as `type`. Null when an element depends on the row.
 */
function constantList(list: SyntaxNode[], type: KustoType, scope: Scope, compile: Compile): Value[] | null {
  const out: Value[] = [];
  for (const element of list) {
    if (element.tableColumns) {
      const table = scope.ctx.tabular(element);
      const column = table.columns[0];
      const columnType = table.fields[0]?.type ?? type;
      for (let k = 0; k < table.length; k++) {
        const v = column.get(table.rowAt(k));
        out.push(columnType === type ? v : convertMember(v, columnType, type));
      }
      continue;
    }
    const c = compile(element, scope);
    if (!c.constant) return null;
    pushMembers(out, c.eval(-1), c.type, type);
  }
  return out;
}

function pushMembers(out: Value[], v: Value, fromType: KustoType, toType: KustoType): void {
  if (fromType === 'dynamic' && Array.isArray(v)) {
    for (const item of v) out.push(fromDynamic(item, toType));
  } else {
    out.push(convertMember(v, fromType, toType));
  }
}

function convertMember(v: Value, fromType: KustoType, toType: KustoType): Value {
  if (fromType === toType) return v;
  if (fromType === 'dynamic') return fromDynamic(v, toType);
  if (toType === 'string') return toKustoString(v, fromType);
  return v;
}

/** in, !in, in~ (parsed as InCsExpression, but case-insensitive), !in~, has_any, has_all. */
export function compileMembership(node: SyntaxNode, scope: Scope, compile: Compile): Compiled {
  const kind = node.kind;
  const left = compile(node.required('Left'), scope);
  const list = node.required('Right').list('Expressions');
  if (kind === 'HasAnyExpression' || kind === 'HasAllExpression') {
    return compileHasAnyAll(left, list, scope, compile, kind === 'HasAllExpression');
  }
  const negate = kind === 'NotInExpression' || kind === 'NotInCsExpression';
  const ignoreCase = kind === 'InCsExpression' || kind === 'NotInCsExpression';
  const memberType: KustoType = left.type;
  const fold = (v: Value): Value => (ignoreCase && typeof v === 'string' ? v.toLowerCase() : v);
  const l = left.eval;
  const members = constantList(list, memberType, scope, compile);
  if (members) {
    const set = new Set(members.filter((m) => m !== null).map((m) => keyOf(fold(m))));
    // A null left side is never in the list: in is false, !in is true.
    return derived('bool', [left], (i) => {
      const v = l(i);
      if (v === null) return negate;
      return set.has(keyOf(fold(v))) !== negate;
    });
  }
  const items = list.map((e) => compile(e, scope));
  return derived('bool', [left, ...items], (i) => {
    const v = l(i);
    if (v === null) return negate;
    const row: Value[] = [];
    for (const it of items) pushMembers(row, it.eval(i), it.type, memberType);
    const key = keyOf(fold(v));
    return row.some((m) => m !== null && keyOf(fold(m)) === key) !== negate;
  });
}

function compileHasAnyAll(left: Compiled, list: SyntaxNode[], scope: Scope, compile: Compile, all: boolean): Compiled {
  const members = constantList(list, 'string', scope, compile);
  if (!members) return scope.ctx.unsupported(list[0], 'has_any/has_all with row-dependent values');
  const needles = members.map((m) => String(m ?? '').toLowerCase());
  const l = left.eval;
  const t = left.type;
  return derived('bool', [left], (i) => {
    const v = l(i);
    if (v === null) return false;
    const s = (t === 'string' ? (v as string) : toKustoString(v, t)).toLowerCase();
    return all ? needles.every((n) => hasTermCs(s, n)) : needles.some((n) => hasTermCs(s, n));
  });
}
