/**
 * Reuse of one full analysis per query *shape* (research prototype, not wired into the parser thread).
 *
 * The bot's runs differ from one another only in the typed literals kql-literals.ts writes: the window's
 * datetimes, the tags' `now`, the scoped device. A full ParseAndAnalyze costs ~12-16 ms; a syntax-only
 * Parse ~1.5 ms. So: Parse the text, find its *variable* literals (below), and call the text with them
 * masked its shape. The first analysis of a shape becomes its template; a later text of the same shape
 * gets a copy of the template with each variable literal's token text and constant replaced and every
 * offset after it shifted. Only literals whose value the analyser cannot act on may vary:
 * - datetime literals (`datetime(...)`): their value is typed, never a name or a schema;
 * - single string literals that are the right operand of a comparison (`==`, `=~`, `has`, `startswith`, ...)
 *   whose left operand is a name (the template must bind it to a column).
 * A template is refused (the shape is always analysed in full) when the analysis has diagnostics (their
 * messages may quote values), when a variable literal's value is folded into anything but its own literal,
 * a `let` of it and that let's references, or when any other element holds a constant we cannot trace.
 */
import { isDeepStrictEqual } from 'node:util';
import type { QueryAnalysis } from './analyzer';
import { type BridgeElement, kustoRuntime, syntaxKindName } from './bridge-runtime';
import { type PlainSyntax, plainConstantOf } from './syntax-node';

type Constant = string | number | boolean | undefined;

/** One literal whose value may differ between two queries of the same shape. */
export interface VariableLiteral {
  start: number;
  end: number;
  /** The token's text (e.g. `datetime(2026-11-27T10:00:00.0000000Z)`, `'ws-0042'`). */
  text: string;
  /** What the analyser puts on the literal's expression: the parser's own value, as PlainSyntax keeps it. */
  constant: Constant;
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
const STRING_COMPARISONS = new Set([
  'EqualExpression',
  'NotEqualExpression',
  'EqualTildeExpression',
  'BangTildeExpression',
  'HasExpression',
  'HasCsExpression',
  'NotHasExpression',
  'NotHasCsExpression',
  'HasPrefixExpression',
  'HasPrefixCsExpression',
  'NotHasPrefixExpression',
  'NotHasPrefixCsExpression',
  'HasSuffixExpression',
  'HasSuffixCsExpression',
  'NotHasSuffixExpression',
  'NotHasSuffixCsExpression',
  'ContainsExpression',
  'ContainsCsExpression',
  'NotContainsExpression',
  'NotContainsCsExpression',
  'StartsWithExpression',
  'StartsWithCsExpression',
  'NotStartsWithExpression',
  'NotStartsWithCsExpression',
  'EndsWithExpression',
  'EndsWithCsExpression',
  'NotEndsWithExpression',
  'NotEndsWithCsExpression',
]);

/** The shape of `text`, from the syntax-only parse (no binding). */
export function queryShape(text: string): QueryShape {
  const code = kustoRuntime().language.KustoCode.Parse(text);
  const literals: VariableLiteral[] = [];
  for (let token = code.Syntax.GetFirstToken(); token; token = token.GetNextToken()) {
    const expression = variableLiteralExpression(token);
    if (expression) literals.push({ start: token.TextStart, end: token.End, text: token.Text ?? '', constant: plainConstantOf(expression.ConstantValue) });
  }
  const pieces: string[] = [];
  let at = 0;
  for (const literal of literals) {
    pieces.push(text.slice(at, literal.start));
    at = literal.end;
  }
  pieces.push(text.slice(at));
  return { key: JSON.stringify(pieces), literals, syntaxErrors: code.GetDiagnostics().Count > 0 };
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

/** A full analysis that may be patched for other texts of its shape. */
export interface ShapeTemplate {
  analysis: QueryAnalysis;
  literals: VariableLiteral[];
  /** The template's literal tokens, by the index of their literal. */
  tokens: Map<PlainSyntax, number>;
  /** The elements whose constant is a variable literal's value, by the literal's index. */
  constants: Map<PlainSyntax, number>;
}

export type TemplateVerdict = { ok: true; template: ShapeTemplate } | { ok: false; reason: string };

/** The template made of `analysis` (of the text whose shape is `shape`), or why there can be none. */
export function shapeTemplate(given: QueryAnalysis, shape: QueryShape): TemplateVerdict {
  if (given.diagnostics.length > 0) return { ok: false, reason: 'the analysis has diagnostics' };
  // The template's own copy: its arrays are frozen below and shared with every patched copy. (Not
  // structuredClone: under jest that makes objects of another realm, which deep equality tells apart.)
  const analysis: QueryAnalysis = { ...given, tree: copyTree(given.tree), diagnostics: [], resultColumns: given.resultColumns?.map((c) => ({ ...c })) ?? null };
  const parents = new Map<PlainSyntax, PlainSyntax>();
  const all: PlainSyntax[] = [];
  const byStart = new Map<number, PlainSyntax>();
  const index = (node: PlainSyntax): void => {
    all.push(node);
    if (node.token && !node.missing) byStart.set(node.start, node);
    for (const child of node.children ?? []) {
      if (!child) continue;
      parents.set(child, node);
      index(child);
    }
  };
  index(analysis.tree);
  const tokens = new Map<PlainSyntax, number>();
  const constants = new Map<PlainSyntax, number>();
  const patchedNames = new Set<string>();
  for (const [i, literal] of shape.literals.entries()) {
    const token = byStart.get(literal.start);
    const expression = token && parents.get(token);
    if (!token || !expression || token.text !== literal.text) return { ok: false, reason: `no literal token at ${literal.start}` };
    if (expression.constant !== literal.constant) return { ok: false, reason: `the analyser's constant at ${literal.start} is not the parser's` };
    if (expression.kind === 'StringLiteralExpression') {
      const left = parents.get(expression)?.children?.[0];
      if (left?.symbol?.kind !== 'Column') return { ok: false, reason: `the string at ${literal.start} is not compared with a column` };
    }
    tokens.set(token, i);
    const traced = constantsOf(expression, literal.constant, all, parents, patchedNames);
    if (typeof traced === 'string') return { ok: false, reason: traced };
    for (const node of traced) constants.set(node, i);
  }
  for (const node of all) {
    if (node.constant === undefined || constants.has(node) || node.kind.endsWith('LiteralExpression')) continue;
    // A let of a literal that does not vary, and its references: their value is the template's too.
    const name = declaredName(node);
    if ((node.kind === 'NameDeclaration' || (node.kind === 'NameReference' && node.symbol?.kind === 'Variable')) && name !== undefined && !patchedNames.has(name)) continue;
    return { ok: false, reason: `a ${node.kind} at ${node.start} holds a constant not traced to a literal` };
  }
  freezeShared(analysis.tree);
  return { ok: true, template: { analysis, literals: shape.literals, tokens, constants } };
}

/**
 * The elements that hold the value of the literal `expression`: itself, and when it is a let's value that
 * let's name and every reference to it (recursively, `let b = a`). Or why that cannot be traced: the
 * value folded into an enclosing element, or a let name declared more than once (shadowing).
 */
function constantsOf(expression: PlainSyntax, value: Constant, all: PlainSyntax[], parents: Map<PlainSyntax, PlainSyntax>, patchedNames: Set<string>): PlainSyntax[] | string {
  const found: PlainSyntax[] = [];
  const pending = [expression];
  while (pending.length > 0) {
    const node = pending.pop()!;
    found.push(node);
    for (let up = parents.get(node); up; up = parents.get(up)) {
      if (up.constant !== undefined) return `the value at ${expression.start} is folded into a ${up.kind}`;
    }
    const parent = parents.get(node);
    if (parent?.kind !== 'LetStatement' || parent.children?.[parent.names?.indexOf('Expression') ?? -1] !== node) continue;
    const declaration = parent.children?.[parent.names?.indexOf('Name') ?? -1];
    const name = declaration ? declaredName(declaration) : undefined;
    if (!declaration || name === undefined || declaration.constant !== value) return `the let at ${parent.start} does not hold its value`;
    if (all.filter((n) => n.kind === 'NameDeclaration' && declaredName(n) === name).length !== 1) return `the name ${name} is declared more than once`;
    patchedNames.add(name);
    found.push(declaration);
    for (const reference of all) {
      if (reference.kind !== 'NameReference' || reference.symbol?.kind !== 'Variable' || reference.symbol.name !== name) continue;
      if (reference.constant !== value) return `a reference to ${name} at ${reference.start} does not hold its value`;
      pending.push(reference);
    }
  }
  return found;
}

/** The name a NameDeclaration or NameReference spells (its identifier token's text). */
function declaredName(node: PlainSyntax): string | undefined {
  if (node.kind === 'NameReference' && node.symbol) return node.symbol.name;
  let first = node.children?.find((c) => c !== null);
  while (first && !first.token) first = first.children?.find((c) => c !== null);
  // `['a b']` and keyword-like names are not traced: a template with such a let is refused.
  return first?.kind === 'IdentifierToken' ? first.text : undefined;
}

function copyTree(node: PlainSyntax): PlainSyntax {
  const out: PlainSyntax = { ...node };
  if (node.names) out.names = [...node.names];
  if (node.columns) out.columns = node.columns.map((c) => ({ ...c }));
  if (node.symbol) out.symbol = { ...node.symbol };
  if (node.children) out.children = node.children.map((c) => (c ? copyTree(c) : null));
  return out;
}

/** Arrays the copies share with their template (child names, column lists) are frozen, so no copy can change another. */
function freezeShared(node: PlainSyntax): void {
  if (node.names) Object.freeze(node.names);
  if (node.symbol) Object.freeze(node.symbol);
  if (node.columns) {
    for (const column of node.columns) Object.freeze(column);
    Object.freeze(node.columns);
  }
  for (const child of node.children ?? []) if (child) freezeShared(child);
}

/** The template's analysis for `text`, whose shape is the template's (same key) with `shape.literals` as its values. */
export function patchedAnalysis(template: ShapeTemplate, text: string, shape: QueryShape): QueryAnalysis {
  const old = template.literals;
  const now = shape.literals;
  if (now.length !== old.length) throw new Error('patchedAnalysis: the text is not of the template\'s shape');
  const ends = old.map((l) => l.end);
  const deltas: number[] = [];
  let total = 0;
  for (let i = 0; i < old.length; i++) deltas.push((total += now[i].text.length - old[i].text.length));
  /** An offset of the template's text in `text`: shifted by every literal that ends at or before it. */
  const moved = (offset: number): number => {
    let shift = 0;
    for (let i = 0; i < ends.length && ends[i] <= offset; i++) shift = deltas[i];
    return offset + shift;
  };
  const copy = (node: PlainSyntax): PlainSyntax => {
    const out: PlainSyntax = { ...node, triviaStart: moved(node.triviaStart), start: moved(node.start), end: moved(node.end) };
    const token = template.tokens.get(node);
    if (token !== undefined) out.text = now[token].text;
    const constant = template.constants.get(node);
    if (constant !== undefined) out.constant = now[constant].constant;
    if (node.children) out.children = node.children.map((c) => (c ? copy(c) : null));
    return out;
  };
  const analysis = template.analysis;
  return { text, tree: copy(analysis.tree), diagnostics: [], resultColumns: analysis.resultColumns?.map((c) => ({ ...c })) ?? null };
}

/** How ShapeAnalyses answered, for measurements and tests. */
export interface ShapeStats {
  full: number;
  patched: number;
  /** Shapes whose template was refused (see shapeTemplate) or whose patch differed from a full analysis. */
  refused: number;
  verified: number;
}

type Entry = { state: 'candidate'; template: ShapeTemplate } | { state: 'ready'; template: ShapeTemplate } | { state: 'refused'; reason: string };

/**
 * Analyses through templates: a shape's first text is analysed in full and becomes its candidate template;
 * its second is analysed in full too and compared with the patched template (a shape whose patch differs
 * is refused for good); from the third on, the patched template is the answer. At most `maxShapes`
 * shapes are kept, the least recently used going first.
 */
export class ShapeAnalyses {
  private readonly shapes = new Map<string, Entry>();
  readonly stats: ShapeStats = { full: 0, patched: 0, refused: 0, verified: 0 };

  constructor(
    private readonly analyzer: { analysis(text: string): QueryAnalysis },
    private readonly maxShapes = 512,
  ) {}

  analysis(text: string): QueryAnalysis {
    const shape = queryShape(text);
    const entry = this.shapes.get(shape.key);
    if (entry) {
      this.shapes.delete(shape.key);
      this.shapes.set(shape.key, entry);
    }
    if (entry?.state === 'ready' && !shape.syntaxErrors) {
      this.stats.patched++;
      return patchedAnalysis(entry.template, text, shape);
    }
    const full = this.full(text);
    if (!entry) {
      const verdict = shape.literals.length > 0 ? shapeTemplate(full, shape) : { ok: false as const, reason: 'no variable literals' };
      this.keep(shape.key, verdict.ok ? { state: 'candidate', template: verdict.template } : { state: 'refused', reason: verdict.reason });
      if (!verdict.ok) this.stats.refused++;
    } else if (entry.state === 'candidate' && !shape.syntaxErrors) {
      const same = isDeepStrictEqual(patchedAnalysis(entry.template, text, shape), full);
      this.shapes.set(shape.key, same ? { state: 'ready', template: entry.template } : { state: 'refused', reason: 'the patched template differed from the analysis' });
      if (same) this.stats.verified++;
      else this.stats.refused++;
    }
    return full;
  }

  /** Why the shape of `text` is analysed in full each time, if it is. */
  refusal(text: string): string | undefined {
    const entry = this.shapes.get(queryShape(text).key);
    return entry?.state === 'refused' ? entry.reason : undefined;
  }

  private full(text: string): QueryAnalysis {
    this.stats.full++;
    return this.analyzer.analysis(text);
  }

  private keep(key: string, entry: Entry): void {
    this.shapes.set(key, entry);
    if (this.shapes.size > this.maxShapes) this.shapes.delete(this.shapes.keys().next().value as string);
  }
}
