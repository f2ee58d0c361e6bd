/**
 * A query's *shape*: its text with the literals masked whose value the analyser cannot act on, so two
 * texts of one shape get the same analysis but for those literals (see shape-template.ts). The bot's
 * runs differ from one another only in such literals (kql-literals.ts writes the window's datetimes,
 * the tags' `now`, the scoped device), so one full analysis per shape can answer them all.
 *
 * Only these literals vary:
 * - datetime literals (`datetime(...)`): their value is typed, never a name or a schema;
 * - single string literals on the right of a comparison (`==`, `=~`, `has`, `startswith`, ...) whose
 *   left operand is a name (the template must still bind that name to a column).
 * Table names (`table('X')`), function arguments, `in` lists, patterns (`matches regex`, `like`) and every
 * other literal stay part of the shape.
 */
import { type BridgeElement, kustoRuntime, syntaxKindName } from './bridge-runtime';
import { plainConstantOf } from './syntax-node';

/** One literal whose value may differ between two queries of the same shape. */
export interface VariableLiteral {
  start: number;
  end: number;
  /** The token's text (e.g. `datetime(2026-11-27T10:00:00.0000000Z)`, `'ws-0042'`). */
  text: string;
  /** What the analyser puts on the literal's expression: the parser's own value, as PlainSyntax keeps it. */
  constant: string | number | boolean | undefined;
}

/** A query's text with its variable literals masked (`key`), and those literals in order. */
export interface QueryShape {
  key: string;
  literals: VariableLiteral[];
  /**
   * The syntax-only parse found errors: such a text is never patched, as its template (which has no
   * diagnostics) would hide them (an unterminated literal can leave the masked text as the template's).
   */
  syntaxErrors: boolean;
}

/** Comparisons whose analysis depends on their operands' types only (not `matches regex`, `like`: the pattern may be checked). */
const STRING_COMPARISONS = new Set(
  ['Equal', 'NotEqual', 'EqualTilde', 'BangTilde', 'Has', 'HasCs', 'NotHas', 'NotHasCs']
    .concat(['HasPrefix', 'HasPrefixCs', 'NotHasPrefix', 'NotHasPrefixCs', 'HasSuffix', 'HasSuffixCs', 'NotHasSuffix', 'NotHasSuffixCs'])
    .concat(['Contains', 'ContainsCs', 'NotContains', 'NotContainsCs', 'StartsWith', 'StartsWithCs', 'NotStartsWith', 'NotStartsWithCs'])
    .concat(['EndsWith', 'EndsWithCs', 'NotEndsWith', 'NotEndsWithCs'])
    .map((operator) => `${operator}Expression`),
);

/** The shape of `text`, from the parser's syntax-only parse (~1.5 ms; no binding). */
export function queryShape(text: string): QueryShape {
  const code = kustoRuntime().language.KustoCode.Parse(text);
  return { ...shapeOfSyntax(code.Syntax, text), syntaxErrors: code.GetDiagnostics().Count > 0 };
}

/** The key and variable literals of `text` read from a tree the parser made of it (syntax-only or analysed). */
export function shapeOfSyntax(root: BridgeElement, text: string): Omit<QueryShape, 'syntaxErrors'> {
  const literals: VariableLiteral[] = [];
  const pieces: string[] = [];
  let at = 0;
  for (let token = root.GetFirstToken(); token; token = token.GetNextToken()) {
    const expression = variableLiteralExpression(token);
    if (!expression) continue;
    literals.push({ start: token.TextStart, end: token.End, text: token.Text ?? '', constant: plainConstantOf(expression.ConstantValue) });
    // Each masked place keeps its literal's kind: a string and a datetime in one place are two shapes (other types, other nodes).
    pieces.push(text.slice(at, token.TextStart), syntaxKindName(token.Kind));
    at = token.End;
  }
  pieces.push(text.slice(at));
  return { key: JSON.stringify(pieces), literals };
}

/** The literal expression of `token` when the token is a variable literal (see the file comment). */
function variableLiteralExpression(token: BridgeElement): BridgeElement | null {
  const kind = syntaxKindName(token.Kind);
  if (kind !== 'DateTimeLiteralToken' && kind !== 'StringLiteralToken') return null;
  const expression = token.Parent;
  if (!expression || expression.ChildCount !== 1) return null;
  if (kind === 'DateTimeLiteralToken') return syntaxKindName(expression.Kind) === 'DateTimeLiteralExpression' ? expression : null;
  if (syntaxKindName(expression.Kind) !== 'StringLiteralExpression') return null;
  const comparison = expression.Parent;
  if (!comparison || !STRING_COMPARISONS.has(syntaxKindName(comparison.Kind)) || comparison.ChildCount !== 3) return null;
  const left = comparison.GetChild(0);
  const right = comparison.GetChild(2);
  return right?.TextStart === expression.TextStart && left && syntaxKindName(left.Kind) === 'NameReference' ? expression : null;
}

/**
 * A cheap hint of a text's shape, without the parser: the text with every quoted string and every
 * `datetime(...)` body masked by a plain scan. It only decides whether a text is worth the syntax-only
 * parse (a hint never seen before means a new shape, analysed in full, and the parse is saved); the
 * shape itself always comes from the parser. A scan that reads a text differently from the parser
 * (odd comments, verbatim strings) costs only that saving, never a wrong answer.
 */
export function shapeHint(text: string): string {
  let out = '';
  let at = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === "'" || c === '"') {
      const end = quotedEnd(text, i, text[i - 1] === '@');
      out += `${text.slice(at, i)}${c}${c}`;
      at = i = end;
    } else if (c === '(' && text.slice(i - 8, i).toLowerCase() === 'datetime') {
      const end = text.indexOf(')', i);
      if (end < 0) break;
      out += text.slice(at, i + 1);
      at = i = end;
    } else {
      i++;
    }
  }
  return out + text.slice(at);
}

/** Where the string literal opened at `open` ends (after its closing quote); `verbatim` (`@'...'`) strings have no escapes, a doubled quote instead. */
function quotedEnd(text: string, open: number, verbatim: boolean): number {
  const quote = text[open];
  let i = open + 1;
  while (i < text.length) {
    if (!verbatim && text[i] === '\\') {
      i += 2;
    } else if (text[i] !== quote) {
      i++;
    } else if (verbatim && text[i + 1] === quote) {
      i += 2;
    } else {
      return i + 1;
    }
  }
  return text.length;
}
