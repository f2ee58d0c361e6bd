import type { SyntaxNode } from '../parser/syntax-node';
import { DateTimeColumn, StringColumn } from '../storage/column';
import type { KustoType } from '../types';
import { fromDynamic, toKustoString } from '../values/convert';
import { toDynamic, type Value } from '../values/value';
import { arithmetic, compare, equals } from './arithmetic';
import { type Compiled, columnRead, constantOf, derived, type RowFn, type Scope } from './compiled';
import { decodeStringLiteral, literalValue } from './literals';
import { compileFunctionCall } from './functions';
import { compileMembership } from './membership';
import { asType, buildRegex, dynamicGet, stringOperand } from './scalar-helpers';
import { NEGATED_STRING_OPERATORS, STRING_OPERATORS } from './string-ops';
import { anyColumn } from './any-column';

const ARITHMETIC = new Set(['AddExpression', 'SubtractExpression', 'MultiplyExpression', 'DivideExpression', 'ModuloExpression']);
const COMPARISONS = new Set([
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
]);

/** Compiles a scalar expression of the parser's tree to a closure over the scope's rows. */
export function compileScalar(node: SyntaxNode, scope: Scope): Compiled {
  const literal = literalValue(node, scope.ctx);
  if (literal) return constantOf(literal.type, literal.value);
  const kind = node.kind;
  const type: KustoType = node.scalarType ?? 'dynamic';

  if (ARITHMETIC.has(kind)) return compileArithmetic(node, scope, type);
  if (COMPARISONS.has(kind)) return compileComparison(node, scope);
  if (kind in STRING_OPERATORS) return compileStringOperator(node, scope);

  switch (kind) {
    case 'NameReference':
      return compileNameReference(node, scope);
    case 'ParenthesizedExpression':
      return compileScalar(node.required('Expression'), scope);
    case 'UnaryMinusExpression': {
      const operand = compileScalar(node.required('Expression'), scope);
      return derived(type, [operand], (i) => {
        const v = operand.eval(i);
        return v === null ? null : typeof v === 'bigint' ? -v : -(v as number);
      });
    }
    case 'UnaryPlusExpression':
      return compileScalar(node.required('Expression'), scope);
    case 'EqualExpression':
    case 'NotEqualExpression':
      return compileEquality(node, scope, kind === 'NotEqualExpression');
    case 'AndExpression':
    case 'OrExpression':
      return compileLogical(node, scope, kind === 'AndExpression');
    case 'MatchesRegexExpression':
      return compileMatchesRegex(node, scope);
    case 'InExpression':
    case 'NotInExpression':
    case 'InCsExpression':
    case 'NotInCsExpression':
    case 'HasAnyExpression':
    case 'HasAllExpression':
      return compileMembership(node, scope, compileScalar);
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return compileBetween(node, scope, kind === 'NotBetweenExpression');
    case 'FunctionCallExpression':
      return compileFunctionCall(node, scope, compileScalar);
    case 'ToScalarExpression':
      return compileToScalar(node, scope, type);
    case 'PathExpression':
      return compilePath(node, scope);
    case 'ElementExpression':
      return compileElement(node, scope);
    case 'DynamicExpression': {
      const inner = compileScalar(node.required('Expression'), scope);
      return derived('dynamic', [inner], (i) => toDynamic(inner.eval(i), inner.type) as Value);
    }
    case 'JsonObjectExpression':
      return compileJsonObject(node, scope);
    case 'JsonArrayExpression': {
      const items = node.list('Values').map((v) => compileScalar(v, scope));
      return derived('dynamic', items, (i) => items.map((it) => toDynamic(it.eval(i), it.type)));
    }
    default:
      return scope.ctx.unsupported(node);
  }
}

function compileNameReference(node: SyntaxNode, scope: Scope): Compiled {
  const symbol = node.symbol;
  if (symbol?.kind === 'Column') return compileColumn(node, symbol.name, scope);
  if (symbol?.kind === 'Parameter') {
    const argument = scope.ctx.argument(symbol.name);
    if (argument?.kind === 'scalar') return argument.compiled;
    return scope.ctx.unsupported(node, `the parameter ${symbol.name} here`);
  }
  if (symbol?.kind === 'Variable') {
    const binding = scope.ctx.bindings.get(symbol.name);
    if (binding?.kind === 'scalar') return constantOf(binding.type, binding.value);
    return scope.ctx.unsupported(node, 'a tabular variable used as a scalar');
  }
  return scope.ctx.unsupported(node, symbol ? `a reference to a ${symbol.kind} (${symbol.name})` : `the name ${node.text}`);
}

/** Reads a column of the scope's table, specialised per storage so the closure is a plain array read. */
export function compileColumn(node: SyntaxNode, name: string, scope: Scope): Compiled {
  const table = scope.table;
  const index = table ? table.indexOf(name) : -1;
  if (!table || index < 0) return scope.ctx.unsupported(node, `the column ${name} in this context`);
  const column = table.columns[index];
  const override = scope.override;
  if (override && override.column === index) return columnRead('string', index, () => override.current);
  if (column instanceof StringColumn) {
    const { dict, codes } = column;
    return columnRead('string', index, (i) => dict[codes[i]], column);
  }
  if (column instanceof DateTimeColumn) return columnRead('datetime', index, (i) => column.get(i), column);
  return columnRead(table.fields[index].type, index, (i) => column.get(i), column);
}

/** Left and right operands of a binary node, with a dynamic side read as the other side's type. */
export function binaryOperands(node: SyntaxNode, scope: Scope): [Compiled, Compiled] {
  const left = compileScalar(node.required('Left'), scope);
  const right = compileScalar(node.required('Right'), scope);
  return [asType(left, right.type), asType(right, left.type)];
}

function compileArithmetic(node: SyntaxNode, scope: Scope, type: KustoType): Compiled {
  let [left, right] = binaryOperands(node, scope);
  if (type !== 'dynamic') {
    if (left.type === 'dynamic') left = asType(left, type);
    if (right.type === 'dynamic') right = asType(right, type);
  }
  const op = arithmetic(node.kind, left.type, right.type, type);
  const l = left.eval;
  const r = right.eval;
  return derived(type, [left, right], (i) => {
    const a = l(i);
    if (a === null) return null;
    const b = r(i);
    return b === null ? null : op(a, b);
  });
}

function compileComparison(node: SyntaxNode, scope: Scope): Compiled {
  const [left, right] = binaryOperands(node, scope);
  const test = compare(node.kind);
  const l = left.eval;
  const r = right.eval;
  return derived('bool', [left, right], (i) => {
    const a = l(i);
    const b = r(i);
    return a === null || b === null ? null : test(a, b);
  });
}

function compileEquality(node: SyntaxNode, scope: Scope, negate: boolean): Compiled {
  const [left, right] = binaryOperands(node, scope);
  const eq = equals(left.type);
  const l = left.eval;
  const r = right.eval;
  // A null operand makes == false and != true (Kusto's two-valued equality).
  return derived('bool', [left, right], (i) => {
    const a = l(i);
    const b = r(i);
    if (a === null || b === null) return negate;
    return eq(a, b) !== negate;
  });
}

function compileLogical(node: SyntaxNode, scope: Scope, isAnd: boolean): Compiled {
  const left = compileScalar(node.required('Left'), scope);
  const right = compileScalar(node.required('Right'), scope);
  const l = left.eval;
  const r = right.eval;
  // Three-valued: null and false = false, null or true = true, otherwise null wins.
  const fn: RowFn = isAnd
    ? (i) => {
        const a = l(i);
        if (a === false) return false;
        const b = r(i);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      }
    : (i) => {
        const a = l(i);
        if (a === true) return true;
        const b = r(i);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      };
  return derived('bool', [left, right], fn);
}

function compileStringOperator(node: SyntaxNode, scope: Scope): Compiled {
  const kind = node.kind;
  if (node.required('Left').kind === 'StarExpression') return compileAnyColumn(node, scope);
  const left = compileScalar(node.required('Left'), scope);
  const right = compileScalar(node.required('Right'), scope);
  const factory = STRING_OPERATORS[kind];
  const whenNull = NEGATED_STRING_OPERATORS.has(kind);
  const l = stringOperand(left);
  const r = stringOperand(right);
  if (right.constant) {
    const rhs = r(-1);
    if (rhs === null) return derived('bool', [left], () => whenNull);
    const test = factory(rhs as string);
    return derived('bool', [left], (i) => {
      const s = l(i);
      return s === null ? whenNull : test(s as string);
    });
  }
  return derived('bool', [left, right], (i) => {
    const s = l(i);
    const t = r(i);
    return s === null || t === null ? whenNull : factory(t as string)(s as string);
  });
}

/**
 * `* has "x"` (and contains, startswith, ...): true when any column of the row passes. The search
 * operator page defines `search "x"` as `where * has "x"`. The negated forms are not documented for `*`.
 */
function compileAnyColumn(node: SyntaxNode, scope: Scope): Compiled {
  const right = compileScalar(node.required('Right'), scope);
  const rhs = right.constant ? right.eval(-1) : null;
  if (!scope.table || rhs === null || NEGATED_STRING_OPERATORS.has(node.kind)) return scope.ctx.unsupported(node, `${node.kind} over * with this right side`);
  const test = anyColumn(scope.table, STRING_OPERATORS[node.kind](String(rhs)), String(rhs));
  // volatile: never folded nor evaluated per distinct value of one column (it reads them all).
  return { type: 'bool', eval: test, constant: false, columns: new Set(scope.table.columns.map((_, i) => i)), volatile: true };
}

function compileMatchesRegex(node: SyntaxNode, scope: Scope): Compiled {
  const left = compileScalar(node.required('Left'), scope);
  const rightNode = node.required('Right');
  const right = compileScalar(rightNode, scope);
  const l = stringOperand(left);
  const cache = new Map<string, RegExp>();
  const regex = (pattern: string): RegExp => {
    let re = cache.get(pattern);
    if (!re) {
      re = buildRegex(pattern, rightNode, scope);
      cache.set(pattern, re);
    }
    return re;
  };
  if (right.constant) regex(String(right.eval(-1) ?? ''));
  const r = right.eval;
  return derived('bool', [left, right], (i) => {
    const s = l(i);
    return s === null ? false : regex(String(r(i) ?? '')).test(s as string);
  });
}

function compileBetween(node: SyntaxNode, scope: Scope, negate: boolean): Compiled {
  const couple = node.required('Right');
  let value = compileScalar(node.required('Left'), scope);
  let low = compileScalar(couple.required('First'), scope);
  let high = compileScalar(couple.required('Second'), scope);
  value = asType(value, low.type);
  low = asType(low, value.type);
  high = asType(high, value.type);
  const spanEnd = value.type === 'datetime' && high.type === 'timespan'; // (start .. 3d) means start+3d
  const v = value.eval;
  const lo = low.eval;
  const hi = high.eval;
  return derived('bool', [value, low, high], (i) => {
    const x = v(i);
    const a = lo(i);
    let b = hi(i);
    if (x === null || a === null || b === null) return null;
    if (spanEnd) b = (a as bigint) + (b as bigint);
    const inside = x >= a && x <= b;
    return inside !== negate;
  });
}

function compileToScalar(node: SyntaxNode, scope: Scope, type: KustoType): Compiled {
  const expr = node.required('Expression');
  if (!expr.tableColumns) return compileScalar(expr, { ctx: scope.ctx, table: null }); // toscalar(5) is 5
  const table = scope.ctx.tabular(expr);
  const value = table.length > 0 && table.columns.length > 0 ? table.columns[0].get(table.rowAt(0)) : null;
  const columnType = table.fields[0]?.type ?? type;
  return constantOf(type, columnType === 'dynamic' && type !== 'dynamic' ? fromDynamic(value, type) : value);
}

/** Name of a path selector: `x.Name` or `x['name']`. */
function selectorName(selector: SyntaxNode): string {
  const text = selector.text.trim();
  if (text.startsWith('[')) return decodeStringLiteral(text.slice(1, -1).trim());
  return text;
}

function compilePath(node: SyntaxNode, scope: Scope): Compiled {
  if (node.symbol?.kind === 'Column') return scope.ctx.unsupported(node, 'a qualified column reference here');
  const base = compileScalar(node.required('Expression'), scope);
  const name = selectorName(node.required('Selector'));
  const b = base.eval;
  return derived('dynamic', [base], (i) => dynamicGet(b(i), name));
}

function compileElement(node: SyntaxNode, scope: Scope): Compiled {
  const base = compileScalar(node.required('Expression'), scope);
  const selector = node.required('Selector');
  const key = compileScalar(selector.kind === 'BracketedExpression' ? selector.required('Expression') : selector, scope);
  const b = base.eval;
  const k = key.eval;
  return derived('dynamic', [base, key], (i) => {
    const kv = k(i);
    if (kv === null) return null;
    return dynamicGet(b(i), typeof kv === 'number' ? kv : toKustoString(kv, key.type));
  });
}

function compileJsonObject(node: SyntaxNode, scope: Scope): Compiled {
  const pairs = node.list('Pairs').map((p) => ({
    name: decodeStringLiteral(p.required('Name').text),
    value: compileScalar(p.required('Value'), scope),
  }));
  return derived(
    'dynamic',
    pairs.map((p) => p.value),
    (i) => {
      const out: Record<string, unknown> = {};
      for (const p of pairs) out[p.name] = toDynamic(p.value.eval(i), p.value.type);
      return out;
    },
  );
}
