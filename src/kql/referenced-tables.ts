import { FILE_PROFILE_FUNCTION } from './parser/catalog';
import type { SyntaxNode } from './parser/syntax-node';
import { isWildcardName, wildcardPattern } from './eval/wildcard-names';

/**
 * Names of the database tables an analysed query reads, in first-use order (let-bound names resolved by
 * the analyser). `invoke FileProfile()` reads the FileProfile table locally (file-profile.ts), so it
 * counts as reading it: without that table its columns are null and a caller must say it could not look.
 * `search`/`find` over wildcards or over the whole database read the loaded tables they match (`loadedTables`).
 */
export function referencedTables(root: SyntaxNode, loadedTables: readonly string[] = []): string[] {
  const names: string[] = [];
  const declared = new Set<string>();
  let invokesFileProfile = false;
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  const piped = new Set<number>();
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    const symbol = node.symbol;
    if (symbol?.kind === 'Table' && node.kind === 'NameReference') add(symbol.name);
    // search/find read the tables a wildcard matches, and with no input and no `in (...)` every loaded table.
    if (node.kind === 'NameReference' && isWildcardName(node)) for (const name of loadedTables.filter((t) => wildcardPattern(node.text.trim()).test(t))) add(name);
    if (node.kind === 'PipeExpression') piped.add(node.required('Operator').start);
    if ((node.kind === 'SearchOperator' || node.kind === 'FindOperator') && !node.child('InClause') && !piped.has(node.start)) loadedTables.forEach(add);
    if (node.kind === 'LetStatement') declared.add(node.child('Name')?.text.trim() ?? '');
    if (node.kind === 'InvokeOperator' && invokedName(node) === FILE_PROFILE_FUNCTION) invokesFileProfile = true;
    const children = node.children();
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  // A query's own `let FileProfile = …` replaces Defender's function and reads no FileProfile table.
  if (invokesFileProfile && !declared.has(FILE_PROFILE_FUNCTION) && !names.includes(FILE_PROFILE_FUNCTION)) names.push(FILE_PROFILE_FUNCTION);
  return names;
}

function invokedName(invoke: SyntaxNode): string {
  const call = invoke.child('Function');
  if (!call) return '';
  return (call.kind === 'FunctionCallExpression' ? call.child('Name')?.text : call.text)?.trim() ?? '';
}
