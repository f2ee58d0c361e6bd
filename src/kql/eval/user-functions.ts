import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { Compiled, Scope } from './compiled';
import type { Argument, QueryContext } from './context';
import { declaredName } from './literals';
import { bindLet } from './let-binding';

type CompileScalar = (node: SyntaxNode, scope: Scope) => Compiled;

interface Parameter {
  name: string;
  tabular: boolean;
  defaultValue: SyntaxNode | null;
}

function parametersOf(declaration: SyntaxNode): Parameter[] {
  return (declaration.child('Parameters')?.list('Parameters') ?? []).map((p) => {
    const nameAndType = p.required('NameAndType');
    return {
      name: declaredName(nameAndType),
      tabular: nameAndType.required('Type').kind === 'SchemaTypeExpression',
      defaultValue: p.child('DefaultValue')?.child('Value') ?? null,
    };
  });
}

/** The `let` function a call names, or null. */
export function userFunction(call: SyntaxNode, ctx: QueryContext): SyntaxNode | null {
  const nameNode = call.required('Name');
  const binding = ctx.bindings.get(nameNode.symbol?.name ?? nameNode.text.trim());
  return binding?.kind === 'function' ? binding.declaration : null;
}

/**
 * Evaluates a user-defined function's body with its parameters bound to the call's arguments:
 * scalar arguments as compiled expressions of the caller's rows, tabular ones as tables. `piped`
 * is the input of `invoke`, which fills the first parameter.
 */
function expand<T>(declaration: SyntaxNode, call: SyntaxNode, scope: Scope, compile: CompileScalar, piped: Table | null, run: (body: SyntaxNode) => T): T {
  const { ctx } = scope;
  const parameters = parametersOf(declaration);
  // A bare reference to a function without parameters (`let V = view() {...}; V | ...`) has no argument list.
  const argNodes = call.child('ArgumentList')?.list('Expressions') ?? [];
  const frame = new Map<string, Argument>();
  let next = 0;
  parameters.forEach((p, k) => {
    if (k === 0 && piped) {
      frame.set(p.name, { kind: 'tabular', table: piped });
      return;
    }
    const node = argNodes[next++] ?? p.defaultValue;
    if (!node) return ctx.unsupported(call, `a call of ${(call.child('Name') ?? call).text.trim()}() without its parameter ${p.name}`);
    frame.set(p.name, p.tabular || node.tableColumns ? { kind: 'tabular', table: ctx.tabular(node) } : { kind: 'scalar', compiled: compile(node, scope) });
  });
  const body = declaration.required('Body');
  ctx.frames.push(frame);
  try {
    for (const statement of body.list('Statements')) {
      if (statement.kind === 'LetStatement') bindLet(statement, ctx, compile);
      else ctx.unsupported(statement);
    }
    return run(body.required('Expression'));
  } finally {
    ctx.frames.pop();
  }
}

/** A scalar call of a `let f = (x: string) { ... };` function. */
export function compileUserFunctionCall(declaration: SyntaxNode, call: SyntaxNode, scope: Scope, compile: CompileScalar): Compiled {
  return expand(declaration, call, scope, compile, null, (body) => compile(body, scope));
}

/** A tabular call of a user-defined function, or `T | invoke f(...)` with T as its first argument. */
export function evaluateUserFunction(declaration: SyntaxNode, call: SyntaxNode, ctx: QueryContext, compile: CompileScalar, piped: Table | null): Table {
  return expand(declaration, call, { ctx, table: null }, compile, piped, (body) => ctx.tabular(body));
}
