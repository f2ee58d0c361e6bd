/**
 * One full analysis of a query shape (query-shape.ts), kept so that later texts of the shape get a
 * patched copy instead of a new analysis (7-20 ms each): each variable literal's token text and constant
 * replaced, every offset after it shifted. The template is kept as deflated JSON: ~9 KB for a hunt's
 * analysis against ~80 KB of JSON text and ~80 KB of objects (0.3 ms to pack, 0.6 ms to unpack and
 * parse), and every answer parses a fresh copy of its own, so no two answers share an object.
 *
 * A template is refused when the analysis has diagnostics (their messages may quote values), when a
 * variable literal's value is folded into anything but its own literal, a `let` of it and that let's
 * references, or when any other element holds a constant we cannot trace to an unvarying literal.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { QueryAnalysis } from './analyzer';
import type { QueryShape, VariableLiteral } from './query-shape';
import type { PlainSyntax } from './syntax-node';

type Constant = VariableLiteral['constant'];

/** A full analysis that may be patched for other texts of its shape. */
export interface ShapeTemplate {
  /** The analysis as JSON text, deflated. */
  packed: Buffer;
  literals: VariableLiteral[];
  /** By preorder index of the tree's nodes (null children skipped): the literal whose token text a token is. */
  tokens: Map<number, number>;
  /** By preorder index: the literal whose value a node's constant is. */
  constants: Map<number, number>;
}

export type TemplateVerdict = { ok: true; template: ShapeTemplate } | { ok: false; reason: string };

/** The template made of `analysis` (of the text whose shape is `shape`), or why there can be none. */
export function shapeTemplate(analysis: QueryAnalysis, shape: Pick<QueryShape, 'literals'>): TemplateVerdict {
  if (analysis.diagnostics.length > 0) return { ok: false, reason: 'the analysis has diagnostics' };
  const parents = new Map<PlainSyntax, PlainSyntax>();
  const order = new Map<PlainSyntax, number>();
  const byStart = new Map<number, PlainSyntax>();
  forEachPreorder(analysis.tree, (node, parent) => {
    order.set(node, order.size);
    if (parent) parents.set(node, parent);
    if (node.token && !node.missing) byStart.set(node.start, node);
  });
  const all = [...order.keys()];
  const lets = letNamesOf(all);
  const tokens = new Map<number, number>();
  const constants = new Map<number, number>();
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
    tokens.set(order.get(token)!, i);
    const traced = constantsOf(expression, literal.constant, lets, parents, patchedNames);
    if (typeof traced === 'string') return { ok: false, reason: traced };
    for (const node of traced) constants.set(order.get(node)!, i);
  }
  for (const node of all) {
    if (node.constant === undefined || constants.has(order.get(node)!) || node.kind.endsWith('LiteralExpression')) continue;
    // A let of a literal that does not vary, and its references: their value is the template's too.
    const name = declaredName(node);
    if ((node.kind === 'NameDeclaration' || (node.kind === 'NameReference' && node.symbol?.kind === 'Variable')) && name !== undefined && !patchedNames.has(name)) continue;
    return { ok: false, reason: `a ${node.kind} at ${node.start} holds a constant not traced to a literal` };
  }
  // A copy of its own exact size: zlib's result for a small input is a slice of its output buffer (16 KB on
  // Node.js 20, 64 KB on 24), and Buffer.from would put it in a shared pool slab (64 KB on 24) that stays with it.
  const deflated = deflateRawSync(JSON.stringify(analysis), { level: 1 });
  const packed = Buffer.allocUnsafeSlow(deflated.length);
  deflated.copy(packed);
  return { ok: true, template: { packed, literals: shape.literals, tokens, constants } };
}

/**
 * The elements that hold the value of the literal `expression`: itself, and when it is a let's value that
 * let's name and every reference to it (recursively, `let b = a`). Or why that cannot be traced: the
 * value folded into an enclosing element, or a let name declared more than once (shadowing).
 */
function constantsOf(expression: PlainSyntax, value: Constant, lets: LetNames, parents: Map<PlainSyntax, PlainSyntax>, patchedNames: Set<string>): PlainSyntax[] | string {
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
    if (lets.declarations.get(name) !== 1) return `the name ${name} is declared more than once`;
    patchedNames.add(name);
    found.push(declaration);
    for (const reference of lets.references.get(name) ?? []) {
      if (reference.constant !== value) return `a reference to ${name} at ${reference.start} does not hold its value`;
      pending.push(reference);
    }
  }
  return found;
}

/** How many times each name is declared, and the references to variables by name: read once per template, not once per let. */
interface LetNames {
  declarations: Map<string, number>;
  references: Map<string, PlainSyntax[]>;
}

function letNamesOf(all: readonly PlainSyntax[]): LetNames {
  const declarations = new Map<string, number>();
  const references = new Map<string, PlainSyntax[]>();
  for (const node of all) {
    if (node.kind === 'NameDeclaration') {
      const name = declaredName(node);
      if (name !== undefined) declarations.set(name, (declarations.get(name) ?? 0) + 1);
    } else if (node.kind === 'NameReference' && node.symbol?.kind === 'Variable') {
      const list = references.get(node.symbol.name);
      if (list) list.push(node);
      else references.set(node.symbol.name, [node]);
    }
  }
  return { declarations, references };
}

/** The name a NameDeclaration or NameReference spells (its identifier token's text). */
function declaredName(node: PlainSyntax): string | undefined {
  if (node.kind === 'NameReference' && node.symbol) return node.symbol.name;
  let first = node.children?.find((c) => c !== null);
  while (first && !first.token) first = first.children?.find((c) => c !== null);
  // `['a b']` and keyword-like names are not traced: a template with such a let is refused.
  return first?.kind === 'IdentifierToken' ? first.text : undefined;
}

/** Visits `root` and its descendants in preorder, null children skipped (the order the template's indexes count in). */
function forEachPreorder(root: PlainSyntax, visit: (node: PlainSyntax, parent: PlainSyntax | undefined) => void): void {
  const pending: Array<[PlainSyntax, PlainSyntax | undefined]> = [[root, undefined]];
  while (pending.length > 0) {
    const [node, parent] = pending.pop()!;
    visit(node, parent);
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child) pending.push([child, node]);
    }
  }
}

/** The template's analysis for `text`, whose shape is the template's (same key) with `literals` as its values. */
export function patchedAnalysis(template: ShapeTemplate, text: string, literals: readonly VariableLiteral[]): QueryAnalysis {
  const old = template.literals;
  if (literals.length !== old.length) throw new Error("patchedAnalysis: the text is not of the template's shape");
  const ends = old.map((l) => l.end);
  const deltas: number[] = [];
  let total = 0;
  for (let i = 0; i < old.length; i++) deltas.push((total += literals[i].text.length - old[i].text.length));
  /** An offset of the template's text in `text`: shifted by every literal that ends at or before it (binary search: a query may have thousands). */
  const moved = (offset: number): number => {
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ends[middle] <= offset) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? offset : offset + deltas[low - 1];
  };
  const analysis = JSON.parse(inflateRawSync(template.packed).toString('utf8')) as QueryAnalysis;
  let index = 0;
  forEachPreorder(analysis.tree, (node) => {
    node.triviaStart = moved(node.triviaStart);
    node.start = moved(node.start);
    node.end = moved(node.end);
    const token = template.tokens.get(index);
    if (token !== undefined) node.text = literals[token].text;
    const constant = template.constants.get(index);
    if (constant !== undefined) {
      const value = literals[constant].constant;
      if (value === undefined) delete node.constant;
      else node.constant = value;
    }
    index++;
  });
  analysis.text = text;
  return analysis;
}
