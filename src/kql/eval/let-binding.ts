import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { Compiled, Scope } from './compiled';
import type { QueryContext } from './context';
import { declaredName } from './literals';

type CompileScalar = (node: SyntaxNode, scope: Scope) => Compiled;

/** Binds `let name = ...;`: scalars are evaluated now, tabular values on first use (then reused), functions when called. */
export function bindLet(statement: SyntaxNode, ctx: QueryContext, compileScalar: CompileScalar): void {
  const name = declaredName(statement);
  const expr = statement.required('Expression');
  if (expr.kind === 'FunctionDeclaration') {
    ctx.bindings.set(name, { kind: 'function', declaration: expr });
    return;
  }
  if (expr.tableColumns) {
    let cached: Table | null = null;
    ctx.bindings.set(name, { kind: 'tabular', table: () => (cached ??= ctx.tabular(expr)) });
    return;
  }
  const compiled = compileScalar(expr, { ctx, table: null });
  ctx.bindings.set(name, { kind: 'scalar', type: compiled.type, value: compiled.eval(-1) });
}
