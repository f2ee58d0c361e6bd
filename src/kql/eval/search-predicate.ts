import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { KustoType } from '../types';
import { toKustoString } from '../values/convert';
import { anyColumn, columnTest } from './any-column';
import type { Scope } from './compiled';
import type { QueryContext } from './context';
import { filterTable } from './filter';
import { compileScalar } from './scalar';
import { kustoRegex, NEGATED_STRING_OPERATORS, STRING_OPERATORS, type StringTest } from './string-ops';

/**
 * The predicate language of `search` and `find` (search operator page, "Search predicate syntax"):
 * a bare string is a term looked for in every column, `Col:"term"` in one column, `*` matches every
 * row, and the rest is ordinary KQL combined with and/or. kind=case_sensitive makes the terms and
 * the has/contains/startswith/endswith/hasprefix/hassuffix operators case-sensitive.
 */

type Truth = boolean | null;
type RowTest = (i: number) => Truth;

/** The case-sensitive form of each case-insensitive string operator (search kind=case_sensitive). */
const CASE_SENSITIVE_FORM: Readonly<Record<string, string>> = {
  HasExpression: 'HasCsExpression',
  NotHasExpression: 'NotHasCsExpression',
  ContainsExpression: 'ContainsCsExpression',
  NotContainsExpression: 'NotContainsCsExpression',
  StartsWithExpression: 'StartsWithCsExpression',
  NotStartsWithExpression: 'NotStartsWithCsExpression',
  EndsWithExpression: 'EndsWithCsExpression',
  NotEndsWithExpression: 'NotEndsWithCsExpression',
  HasPrefixExpression: 'HasPrefixCsExpression',
  NotHasPrefixExpression: 'NotHasPrefixCsExpression',
  HasSuffixExpression: 'HasSuffixCsExpression',
  NotHasSuffixExpression: 'NotHasSuffixCsExpression',
};

/**
 * A term's test by the documented wildcard rules: `billg` has, `*billg` hassuffix, `billg*` hasprefix,
 * `*billg*` contains, and any other `*` a regex (`Lab*PC` is `\bLab.*PC\b`).
 */
export function termTest(term: string, caseSensitive: boolean): StringTest {
  const stars = term.split('*').length - 1;
  const inner = term.slice(1, -1);
  const op = (insensitive: string, sensitive: string, rhs: string): StringTest => STRING_OPERATORS[caseSensitive ? sensitive : insensitive](rhs);
  if (stars === 0) return op('HasExpression', 'HasCsExpression', term);
  if (stars === 1 && term.length > 1 && term.startsWith('*')) return op('HasSuffixExpression', 'HasSuffixCsExpression', term.slice(1));
  if (stars === 1 && term.endsWith('*')) return op('HasPrefixExpression', 'HasPrefixCsExpression', term.slice(0, -1));
  if (stars === 2 && term.length >= 2 && term.startsWith('*') && term.endsWith('*')) return op('ContainsExpression', 'ContainsCsExpression', inner);
  const body = term
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = kustoRegex(`${term.startsWith('*') ? '' : '\\b'}${body}${term.endsWith('*') ? '' : '\\b'}`, caseSensitive ? '' : 'i');
  return (s) => re.test(s);
}

function stringConstant(node: SyntaxNode, scope: Scope): string | null {
  const c = compileScalar(node, scope);
  if (!c.constant) return null;
  const v = c.eval(-1);
  return v === null ? null : String(v);
}

/** A bare string in the predicate: the analyser types search terms bool. */
function isTerm(node: SyntaxNode): boolean {
  return (node.kind === 'StringLiteralExpression' || node.kind === 'CompoundStringLiteralExpression') && node.scalarType === 'bool';
}

function termText(node: SyntaxNode): string {
  const v = node.constantValue;
  return typeof v === 'string' ? v : String(v ?? '');
}

/** Whether a part of the predicate needs the search rules (terms, Col:"x", `*`), not just KQL. */
export function usesSearchSyntax(node: SyntaxNode, caseSensitive: boolean): boolean {
  if (isTerm(node) || node.kind === 'SearchExpression' || node.kind === 'StarExpression') return true;
  if (caseSensitive && node.kind in CASE_SENSITIVE_FORM) return true;
  if (node.kind in STRING_OPERATORS && node.child('Left')?.kind === 'StarExpression') return true;
  return node.children().some((c) => !c.isToken && usesSearchSyntax(c, caseSensitive));
}

/** Compiles a search predicate over a table into a three-valued row test. */
function compileSearch(node: SyntaxNode, scope: Scope, caseSensitive: boolean): RowTest {
  const table = scope.table!;
  if (node.kind === 'ParenthesizedExpression') return compileSearch(node.required('Expression'), scope, caseSensitive);
  if (node.kind === 'AndExpression' || node.kind === 'OrExpression') {
    const left = compileSearch(node.required('Left'), scope, caseSensitive);
    const right = compileSearch(node.required('Right'), scope, caseSensitive);
    const decisive = node.kind === 'OrExpression'; // or: true decides; and: false decides
    return (i) => {
      const a = left(i);
      if (a === decisive) return decisive;
      const b = right(i);
      if (b === decisive) return decisive;
      return a === null || b === null ? null : !decisive;
    };
  }
  if (node.kind === 'StarExpression') return () => true;
  if (isTerm(node)) {
    const term = termText(node);
    return anyColumn(table, termTest(term, caseSensitive), term);
  }
  if (node.kind === 'SearchExpression') {
    const columnNode = node.required('Left');
    const term = stringConstant(node.required('Right'), scope) ?? '';
    const index = table.indexOf(columnNode.symbol?.name ?? columnNode.text.trim());
    if (index < 0) return () => false;
    const test = columnTest(table.columns[index], table.fields[index].type, termTest(term, caseSensitive), term);
    return test ?? (() => false);
  }
  if (node.kind in STRING_OPERATORS) {
    const kind = caseSensitive ? (CASE_SENSITIVE_FORM[node.kind] ?? node.kind) : node.kind;
    const rhs = stringConstant(node.required('Right'), scope);
    if (rhs !== null && node.required('Left').kind === 'StarExpression') return anyColumn(table, STRING_OPERATORS[kind](rhs), rhs);
    if (rhs !== null && kind !== node.kind) {
      const left = compileScalar(node.required('Left'), scope);
      const test = STRING_OPERATORS[kind](rhs);
      const negated = NEGATED_STRING_OPERATORS.has(kind);
      return (i) => {
        const v = left.eval(i);
        return v === null ? negated : test(toKustoString(v, left.type));
      };
    }
  }
  const compiled = compileScalar(node, scope);
  return (i) => compiled.eval(i) as Truth;
}

function conjuncts(node: SyntaxNode): SyntaxNode[] {
  if (node.kind === 'AndExpression') return [...conjuncts(node.required('Left')), ...conjuncts(node.required('Right'))];
  if (node.kind === 'ParenthesizedExpression') return conjuncts(node.required('Expression'));
  return [node];
}

/**
 * The rows of `table` the predicate is true for. Each `and` part narrows the rows in turn; parts that
 * are plain KQL run as a `where` does (with its column fast paths).
 */
export function searchFilter(predicate: SyntaxNode, table: Table, ctx: QueryContext, caseSensitive: boolean): Table {
  let current = table;
  for (const part of conjuncts(predicate)) {
    if (current.length === 0) break;
    if (!usesSearchSyntax(part, caseSensitive)) {
      current = filterTable(part, current, ctx);
      continue;
    }
    const test = compileSearch(part, { ctx, table: current }, caseSensitive);
    const rows = current.rowIndexes();
    const keep = new Uint32Array(rows.length);
    let n = 0;
    for (let k = 0; k < rows.length; k++) {
      ctx.budget.work(1);
      if (test(rows[k]) === true) keep[n++] = rows[k];
    }
    current = current.withRows(keep.slice(0, n));
  }
  return current;
}

/** The columns the predicate names (a table that lacks one reads it as empty, as in a union). */
export function predicateColumns(predicate: SyntaxNode): Array<{ name: string; type: KustoType }> {
  const out: Array<{ name: string; type: KustoType }> = [];
  const pending = [predicate];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    if (node.kind === 'NameReference' && node.symbol?.kind === 'Column') out.push({ name: node.symbol.name, type: node.scalarType ?? 'dynamic' });
    pending.push(...node.children());
  }
  return out;
}
