import type { SyntaxNode } from './parser/syntax-node';

/** Names of the database tables an analysed query reads, in first-use order (let-bound names resolved by the analyser). */
export function referencedTables(root: SyntaxNode): string[] {
  const names: string[] = [];
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    const symbol = node.symbol;
    if (symbol?.kind === 'Table' && node.kind === 'NameReference' && !names.includes(symbol.name)) names.push(symbol.name);
    const children = node.children();
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return names;
}
