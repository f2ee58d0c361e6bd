import type { KqlDiagnostic } from '../types';
import { FILE_PROFILE_FUNCTION } from './catalog';
import type { SyntaxNode } from './syntax-node';

/** The file ID columns Defender's FileProfile(x, y) documents for x. */
export const FILE_ID_COLUMNS: ReadonlySet<string> = new Set(['SHA1', 'SHA256', 'InitiatingProcessSHA1', 'InitiatingProcessSHA256']);

/**
 * Offsets of bare file ID columns passed to FileProfile: `T | invoke FileProfile(SHA1, 1000)`, the
 * documented form, where SHA1 names a column of T. Kusto.Language binds invoke arguments outside
 * T's row scope, so with a declared function it reports KS142 for them; Defender accepts them.
 */
function bareFileIdArguments(root: SyntaxNode): Set<number> {
  const offsets = new Set<number>();
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    if (node.kind === 'PipeExpression' && node.child('Operator')?.kind === 'InvokeOperator') {
      const call = node.required('Operator').child('Function');
      const first = call?.child('ArgumentList')?.list('Expressions')[0];
      const name = first?.kind === 'NameReference' ? first.text.trim() : '';
      const inputColumns = node.child('Expression')?.tableColumns ?? [];
      if (call?.child('Name')?.text.trim() === FILE_PROFILE_FUNCTION && FILE_ID_COLUMNS.has(name) && inputColumns.some((c) => c.name === name)) {
        offsets.add(first!.start);
      }
    }
    pending.push(...node.children());
  }
  return offsets;
}

/** The diagnostics without the KS142 the analyser gives a documented bare column in FileProfile(); the tree (`rootOf`) is only read when there is one. */
export function acceptBareFileProfileColumns(rootOf: () => SyntaxNode, diagnostics: KqlDiagnostic[]): KqlDiagnostic[] {
  if (!diagnostics.some((d) => d.code === 'KS142')) return diagnostics;
  const accepted = bareFileIdArguments(rootOf());
  return accepted.size === 0 ? diagnostics : diagnostics.filter((d) => !(d.code === 'KS142' && accepted.has(d.start)));
}
