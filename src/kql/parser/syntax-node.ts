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
 * A read-only view of one element of the official parser's syntax tree. Children are reached by
 * the property names Kusto.Language gives them (`Left`, `Condition`, `Expressions`, ...), so the
 * evaluator reads like the grammar without touching Bridge.NET objects.
 */
export class SyntaxNode {
  private constructor(private readonly element: BridgeElement) {}

  static wrap(element: BridgeElement): SyntaxNode {
    return new SyntaxNode(element);
  }

  /** The SyntaxKind name, e.g. "PipeExpression", "HasExpression", "StringLiteralToken". */
  get kind(): string {
    return syntaxKindName(this.element.Kind);
  }

  get isToken(): boolean {
    return this.element.IsToken;
  }

  get isMissing(): boolean {
    return this.element.IsMissing;
  }

  /** Offset of the first character (after leading trivia). */
  get start(): number {
    return this.element.TextStart;
  }

  get end(): number {
    return this.element.End;
  }

  /** Source text without surrounding trivia. */
  get text(): string {
    if (this.element.IsToken) return this.element.Text ?? '';
    return this.element.ToString(0);
  }

  /** The named child, or null when absent (optional clauses, missing elements). */
  child(name: string): SyntaxNode | null {
    const el = this.element;
    for (let i = 0; i < el.ChildCount; i++) {
      if (el.GetName(i) === name) {
        const c = el.GetChild(i);
        return c ? new SyntaxNode(c) : null;
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
    const el = this.element;
    for (let i = 0; i < el.ChildCount; i++) {
      const c = el.GetChild(i);
      if (c) out.push(new SyntaxNode(c));
    }
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
    const t = this.element.ResultType;
    return t ? kustoTypeOf(t.Name) : null;
  }

  /** Raw analyser type name ("string", "error", "" for tables, ...). */
  get typeName(): string | null {
    return this.element.ResultType?.Name ?? null;
  }

  /** Output schema when this node is tabular. */
  get tableColumns(): ColumnInfo[] | null {
    return columnsOf(this.element.ResultType?.Columns);
  }

  /** Name and kind ("Column", "Variable", "Table", "Function", ...) of the bound symbol. */
  get symbol(): { name: string; kind: string } | null {
    const s = this.element.ReferencedSymbol;
    return s ? { name: s.Name, kind: symbolKindName(s.Kind) } : null;
  }

  /** The analyser's folded literal value (boxed .NET values; strings are already unescaped). */
  get constantValue(): unknown {
    return this.element.ConstantValue;
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
