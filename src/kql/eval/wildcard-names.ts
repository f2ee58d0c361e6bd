import type { SyntaxNode } from '../parser/syntax-node';

/** `T*` as a pattern over table names (Kusto table names are case-sensitive). */
export function wildcardPattern(text: string): RegExp {
  const body = text
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** A name in an `in (...)` list that is a wildcard (`Device*`): the analyser binds it to a group, not a table. */
export function isWildcardName(node: SyntaxNode): boolean {
  return node.kind === 'NameReference' && node.child('Name')?.kind === 'WildcardedName';
}
