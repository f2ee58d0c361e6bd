import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import { compareValues, keyOf, type Value } from '../../values/value';
import { prepareAggregate } from '../aggregates';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { compileScalar } from '../scalar';

interface Level {
  limit: number;
  key: (i: number) => Value;
  aggregate: SyntaxNode;
  descending: boolean;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  return node.kind === 'SimpleNamedExpression' ? node.required('Expression') : node;
}

function levelOf(clause: SyntaxNode, scope: Scope): Level {
  const { ctx } = scope;
  if (clause.child('WithOthersClause')) return ctx.unsupported(clause, 'top-nested with others');
  const limitNode = clause.child('Expression');
  const limit = limitNode ? Number(compileScalar(limitNode, { ctx, table: null }).eval(-1) ?? Infinity) : Infinity;
  const key = compileScalar(unwrap(clause.required('OfExpression')), scope).eval;
  let by = clause.required('ByExpression');
  let descending = true;
  if (by.kind === 'OrderedExpression') {
    descending = by.child('Ordering')?.child('AscOrDescKeyword')?.text.trim().toLowerCase() !== 'asc';
    by = by.required('Expression');
  }
  const aggregate = unwrap(by);
  if (aggregate.kind !== 'FunctionCallExpression') return ctx.unsupported(aggregate, 'top-nested by an expression over aggregates');
  return { limit, key, aggregate, descending };
}

/**
 * top-nested N of Key by Aggregate [asc|desc], ...: the top N values of the first key by their
 * aggregate, then within each the top values of the next key, and so on. One row per path.
 */
export function topNested(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const scope: Scope = { ctx, table: input };
  const levels = op.list('Clauses').map((c) => levelOf(c, scope));
  if (output.length !== levels.length * 2) return ctx.unsupported(op, 'this top-nested (its columns)');
  const paths: Value[][] = [];
  const descend = (rows: Uint32Array, l: number, prefix: Value[]): void => {
    const level = levels[l];
    const groupOf = new Int32Array(rows.length);
    const index = new Map<unknown, number>();
    const keys: Value[] = [];
    rows.forEach((i, k) => {
      const v = level.key(i);
      const id = keyOf(v);
      let g = index.get(id);
      if (g === undefined) {
        g = keys.length;
        index.set(id, g);
        keys.push(v);
      }
      groupOf[k] = g;
    });
    const call = level.aggregate;
    const prepared = prepareAggregate({
      name: call.required('Name').symbol?.name ?? '',
      node: call,
      args: call.required('ArgumentList').list('Expressions'),
      scope,
      outputs: [output[2 * l + 1]],
      byColumns: new Set(),
    });
    const values = prepared.run({ rows, groupOf, groupCount: keys.length })[0];
    const order = keys.map((_, g) => g);
    order.sort((a, b) => {
      const x = values.get(a);
      const y = values.get(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return level.descending ? compareValues(y, x) : compareValues(x, y);
    });
    for (const g of order.slice(0, level.limit)) {
      const path = [...prefix, keys[g], values.get(g)];
      if (l + 1 === levels.length) paths.push(path);
      else descend(rows.filter((_, k) => groupOf[k] === g), l + 1, path);
    }
  };
  descend(input.rowIndexes(), 0, []);
  ctx.budget.rows(paths.length, op);
  const columns = output.map((out, c) => {
    const b = columnBuilder(out.type, paths.length);
    for (const p of paths) b.append(p[c]);
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    paths.length,
  );
}
