import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { QueryContext } from './context';
import { parameterText } from './operators/parameters';

/** Column names a condition reads. */
function referencedColumns(node: SyntaxNode, out: Set<string>): Set<string> {
  if (node.kind === 'NameReference' && node.symbol?.kind === 'Column') out.add(node.symbol.name);
  for (const child of node.children()) if (!child.isToken) referencedColumns(child, out);
  return out;
}

/** A default (innerunique) join: the operator and the pipe it ends. */
function innerUniqueJoin(node: SyntaxNode): SyntaxNode | null {
  if (node.kind !== 'PipeExpression') return null;
  const op = node.required('Operator');
  if (op.kind !== 'JoinOperator') return null;
  return (parameterText(op, 'kind') ?? 'innerunique').toLowerCase() === 'innerunique' ? node : null;
}

/**
 * Kusto pushes `where` clauses that follow an innerunique join and read only left-side columns to the
 * left input, before its duplicate keys are dropped (the join-innerunique page shows a filter on
 * val1.2 keeping both matches). For `L | join R on k | where <left-only>...`, returns the left input
 * filtered by those conditions so the join can run on it; null when the shape does not apply.
 */
export function innerUniqueLeftFiltered(
  pipe: SyntaxNode,
  ctx: QueryContext,
  filter: (condition: SyntaxNode, table: Table) => Table,
): { join: SyntaxNode; left: Table } | null {
  const conditions: SyntaxNode[] = [];
  let node = pipe;
  while (node.kind === 'PipeExpression' && node.required('Operator').kind === 'FilterOperator') {
    conditions.unshift(node.required('Operator').required('Condition'));
    node = node.required('Expression');
  }
  const join = innerUniqueJoin(node);
  if (!join || conditions.length === 0) return null;
  const leftNode = join.required('Expression');
  const leftNames = new Set((leftNode.tableColumns ?? []).map((c) => c.name));
  const leftOnly = conditions.filter((c) => [...referencedColumns(c, new Set())].every((name) => leftNames.has(name)));
  if (leftOnly.length === 0) return null;
  let left = ctx.tabular(leftNode);
  for (const condition of leftOnly) left = filter(condition, left);
  return { join, left };
}
