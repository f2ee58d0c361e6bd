import type { SyntaxNode } from '../../parser/syntax-node';

/** An operator's named parameters (`kind=leftouter`, `with_itemindex=Ix`, `hint.strategy=...`) by lower-case name. */
export function namedParameters(op: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const p of op.list('Parameters')) {
    const name = p.child('Name');
    const value = p.child('Expression');
    if (name && value) out.set(name.text.trim().toLowerCase(), value);
  }
  return out;
}

/** The parameter's value as written (`leftouter`, `Ix`), or undefined. */
export function parameterText(op: SyntaxNode, name: string): string | undefined {
  return namedParameters(op).get(name)?.text.trim();
}
