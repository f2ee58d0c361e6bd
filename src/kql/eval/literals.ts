import type { SyntaxNode } from '../parser/syntax-node';
import type { KustoType } from '../types';
import { parseDateTimeTicks, parseTimespanTicks } from '../values/time';
import type { Value } from '../values/value';
import type { QueryContext } from './context';

/** Decodes a Kusto string literal token: 'x', "x" (with \ escapes), @'x' / @"x" (verbatim), h'x' (obfuscated). */
export function decodeStringLiteral(token: string): string {
  let t = token;
  if (t[0] === 'h' || t[0] === 'H') t = t.slice(1);
  if (t[0] === '@') {
    const q = t[1];
    return t.slice(2, -1).split(q + q).join(q);
  }
  const body = t.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'u':
      case 'x':
        return e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : e;
      default:
        return e;
    }
  });
}

/** The text between the parentheses of `datetime(...)`, `time(...)`, `guid(...)`, or the token itself. */
function literalBody(text: string): string {
  const open = text.indexOf('(');
  const body = open >= 0 && text.endsWith(')') ? text.slice(open + 1, -1).trim() : text.trim();
  return /^(['"]).*\1$/.test(body) ? body.slice(1, -1) : body; // datetime("01/16/2022 00:00:00")
}

/** `0xF` (the analyser folds hexadecimal long literals to 0, so the token text is read). */
function hexValue(text: string): number | null {
  const m = /^\s*([+-]?)0[xX]([0-9a-fA-F]+)\s*$/.exec(text);
  if (!m) return null;
  const v = parseInt(m[2], 16);
  return m[1] === '-' ? -v : v;
}

function numberOf(constant: unknown): number | null {
  return constant === null || constant === undefined ? null : Number(String(constant));
}

/** Value and type of a literal expression node, or undefined when the node is not a literal. */
export function literalValue(node: SyntaxNode, ctx: QueryContext): { type: KustoType; value: Value } | undefined {
  switch (node.kind) {
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression': {
      const cv = node.constantValue;
      if (typeof cv === 'string') return { type: 'string', value: cv };
      const tokens = node.list('Tokens');
      return { type: 'string', value: tokens.map((t) => decodeStringLiteral(t.text)).join('') };
    }
    case 'LongLiteralExpression':
      return { type: 'long', value: hexValue(node.text) ?? numberOf(node.constantValue) };
    case 'IntLiteralExpression':
      return { type: 'int', value: numberOf(node.constantValue) };
    case 'RealLiteralExpression':
      return { type: 'real', value: numberOf(node.constantValue) };
    case 'DecimalLiteralExpression':
      return { type: 'decimal', value: numberOf(node.constantValue) };
    case 'BooleanLiteralExpression': {
      const cv = node.constantValue;
      return { type: 'bool', value: cv === null || cv === undefined ? null : String(cv).toLowerCase() === 'true' };
    }
    case 'NullLiteralExpression':
      return { type: 'dynamic', value: null };
    case 'DateTimeLiteralExpression': {
      const body = literalBody(node.text);
      if (body.toLowerCase() === 'null') return { type: 'datetime', value: null };
      const ticks = parseDateTimeTicks(body);
      if (ticks === null) ctx.unsupported(node, 'this datetime literal format');
      return { type: 'datetime', value: ticks };
    }
    case 'TimespanLiteralExpression': {
      const body = literalBody(node.text);
      if (body.toLowerCase() === 'null') return { type: 'timespan', value: null };
      const ticks = parseTimespanTicks(body);
      if (ticks === null) ctx.unsupported(node, 'this timespan literal format');
      return { type: 'timespan', value: ticks };
    }
    case 'GuidLiteralExpression': {
      const body = literalBody(node.text);
      return { type: 'guid', value: body.toLowerCase() === 'null' ? null : body.toLowerCase() };
    }
    default:
      return undefined;
  }
}

/** The name a `Name = ...` item or `let` declares; `['some name']` is unquoted. */
export function declaredName(named: SyntaxNode): string {
  const text = named.required('Name').text.trim();
  return text.startsWith('[') ? decodeStringLiteral(text.slice(1, -1).trim()) : text;
}
