import { KUSTO_TYPES, type KustoType } from '../types';
import { type BridgeElement, symbolKindName, syntaxKindName } from './bridge-runtime';

const SCALAR_TYPES = KUSTO_TYPES;

/** Maps the analyser's type name to ours; dynamic subtypes (e.g. "dynamic(array)") are dynamic. */
export function kustoTypeOf(name: string): KustoType | null {
  if (SCALAR_TYPES.has(name)) return name as KustoType;
  if (name.startsWith('dynamic')) return 'dynamic';
  return null;
}

export interface ColumnInfo {
  name: string;
  type: KustoType;
}

/**
 * One element of the official parser's syntax tree copied into plain data (strings, numbers and
 * arrays only), so an analysed query can be posted to a thread that never loads the parser. Fields
 * that are usually empty are left out to keep the copy small.
 */
export interface PlainSyntax {
  /** The SyntaxKind name, e.g. "PipeExpression". */
  kind: string;
  token?: true;
  missing?: true;
  /** Offset where the element's leading trivia starts (its text with trivia is source[triviaStart, end)). */
  triviaStart: number;
  start: number;
  end: number;
  /** Tokens only: the token's text without trivia. */
  text?: string;
  /** Child slots in order: the slot's name (null when unnamed) and the child (null when absent). */
  names?: Array<string | null>;
  children?: Array<PlainSyntax | null>;
  /** The analyser's result type name, when it has one. */
  typeName?: string;
  /** Tabular nodes: the result schema. */
  columns?: ColumnInfo[];
  symbol?: { name: string; kind: string };
  /** The analyser's folded literal value; .NET values other than strings, numbers and booleans as their text. */
  constant?: string | number | boolean;
}

/** Copies a Bridge.NET syntax tree into plain data (see PlainSyntax). */
export function plainSyntaxOf(root: BridgeElement): PlainSyntax {
  return copyElement(root);
}

function copyElement(el: BridgeElement): PlainSyntax {
  const node: PlainSyntax = { kind: syntaxKindName(el.Kind), triviaStart: el.TriviaStart, start: el.TextStart, end: el.End };
  if (el.IsMissing) node.missing = true;
  if (el.IsToken) {
    node.token = true;
    node.text = el.Text ?? '';
    return node;
  }
  const count = el.ChildCount;
  if (count > 0) {
    const names: Array<string | null> = new Array(count);
    const children: Array<PlainSyntax | null> = new Array(count);
    for (let i = 0; i < count; i++) {
      names[i] = el.GetName(i);
      const child = el.GetChild(i);
      children[i] = child ? copyElement(child) : null;
    }
    node.names = names;
    node.children = children;
  }
  const type = el.ResultType;
  if (type) {
    node.typeName = type.Name;
    const columns = columnsOf(type.Columns);
    if (columns) node.columns = columns;
  }
  const symbol = el.ReferencedSymbol;
  if (symbol) node.symbol = { name: symbol.Name, kind: symbolKindName(symbol.Kind) };
  const constant = plainConstantOf(el.ConstantValue);
  if (constant !== undefined) node.constant = constant;
  return node;
}

/** An element's ConstantValue as PlainSyntax keeps it: strings, numbers and booleans as they are, other .NET values as their text. */
export function plainConstantOf(constant: unknown): string | number | boolean | undefined {
  if (constant === null || constant === undefined) return undefined;
  return typeof constant === 'string' || typeof constant === 'number' || typeof constant === 'boolean' ? constant : String(constant);
}

/**
 * A read-only view of one element of an analysed query's syntax tree (a PlainSyntax copy of the
 * official parser's). Children are reached by the property names Kusto.Language gives them (`Left`,
 * `Condition`, `Expressions`, ...), so the evaluator reads like the grammar.
 */
export class SyntaxNode {
  private constructor(
    private readonly node: PlainSyntax,
    /** The query text the tree was parsed from. */
    private readonly source: string,
  ) {}

  /** A view of a Bridge.NET tree, copied to plain data first. */
  static wrap(element: BridgeElement, source: string): SyntaxNode {
    return new SyntaxNode(plainSyntaxOf(element), source);
  }

  /** A view of a plain copy (posted from another thread, say). */
  static of(node: PlainSyntax, source: string): SyntaxNode {
    return new SyntaxNode(node, source);
  }

  /** The SyntaxKind name, e.g. "PipeExpression", "HasExpression", "StringLiteralToken". */
  get kind(): string {
    return this.node.kind;
  }

  get isToken(): boolean {
    return this.node.token === true;
  }

  get isMissing(): boolean {
    return this.node.missing === true;
  }

  /** Offset of the first character (after leading trivia). */
  get start(): number {
    return this.node.start;
  }

  get end(): number {
    return this.node.end;
  }

  /** A token's text without trivia; a node's source text including its leading trivia (as Kusto's ToString(All)). */
  get text(): string {
    if (this.node.token) return this.node.text ?? '';
    return this.source.slice(this.node.triviaStart, this.node.end);
  }

  /** The named child, or null when absent (optional clauses, missing elements). */
  child(name: string): SyntaxNode | null {
    const names = this.node.names;
    if (!names) return null;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) {
        const c = this.node.children![i];
        return c ? new SyntaxNode(c, this.source) : null;
      }
    }
    return null;
  }

  /** Like child() but the child must exist. */
  required(name: string): SyntaxNode {
    const c = this.child(name);
    if (!c) throw new Error(`${this.kind} at ${this.start} has no ${name}`);
    return c;
  }

  /** All non-null children in order (tokens included). */
  children(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const c of this.node.children ?? []) if (c) out.push(new SyntaxNode(c, this.source));
    return out;
  }

  /**
   * Elements of a list-valued child (`Expressions`, `Parameters`, ...), unwrapping the
   * SeparatedElement wrappers of comma-separated lists. Empty when the child is absent.
   */
  list(name: string): SyntaxNode[] {
    const listNode = this.child(name);
    return listNode ? listNode.elements() : [];
  }

  /** The elements of this node when it is a List. */
  elements(): SyntaxNode[] {
    return this.children().map((c) => (c.kind === 'SeparatedElement' ? c.children()[0] : c));
  }

  /** Scalar result type, or null for tabular / untyped nodes. */
  get scalarType(): KustoType | null {
    const t = this.node.typeName;
    return t === undefined ? null : kustoTypeOf(t);
  }

  /** Raw analyser type name ("string", "error", "" for tables, ...). */
  get typeName(): string | null {
    return this.node.typeName ?? null;
  }

  /** Output schema when this node is tabular. */
  get tableColumns(): ColumnInfo[] | null {
    return this.node.columns ?? null;
  }

  /** Name and kind ("Column", "Variable", "Table", "Function", ...) of the bound symbol. */
  get symbol(): { name: string; kind: string } | null {
    return this.node.symbol ?? null;
  }

  /** The analyser's folded literal value (strings already unescaped; other .NET values as their text). */
  get constantValue(): unknown {
    return this.node.constant;
  }
}

/** Converts an analyser column list to ours; unknown column types become dynamic. */
export function columnsOf(
  cols: { Count: number; getItem(i: number): { Name: string; Type: { Name: string } } } | null | undefined,
): ColumnInfo[] | null {
  if (!cols) return null;
  const out: ColumnInfo[] = [];
  for (let i = 0; i < cols.Count; i++) {
    const c = cols.getItem(i);
    out.push({ name: c.Name, type: kustoTypeOf(c.Type.Name) ?? 'dynamic' });
  }
  return out;
}
