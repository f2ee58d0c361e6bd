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
  /** `with others = ConstExpr`: the key of the row that aggregates the values outside the top N; undefined without. */
  others?: Value;
}

function unwrap(node: SyntaxNode): SyntaxNode {
  return node.kind === 'SimpleNamedExpression' ? node.required('Expression') : node;
}

function levelOf(clause: SyntaxNode, scope: Scope): Level {
  const { ctx } = scope;
  const othersNode = clause.child('WithOthersClause')?.child('Expression');
  const others = othersNode ? compileScalar(othersNode, { ctx, table: null }).eval(-1) : undefined;
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
  return { limit, key, aggregate, descending, others };
}

/**
 * top-nested N of Key [with others = C] by Aggregate [asc|desc], ...: the top N values of the first
 * key by their aggregate, then within each the top values of the next key, and so on. One row per
 * path. When any level says `with others`, the rows outside each level's top N become one more path
 * too (the documented StormEvents example): at that level and every deeper one its key is the
 * level's `with others` constant and its aggregate is over those rows, or both are null at levels
 * without `with others`. Paths through "others" follow the top paths, the deepest level's first.
 */
export function topNested(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const scope: Scope = { ctx, table: input };
  const levels = op.list('Clauses').map((c) => levelOf(c, scope));
  if (output.length !== levels.length * 2) return ctx.unsupported(op, 'this top-nested (its columns)');
  const withOthers = levels.some((level) => level.others !== undefined);
  const prepare = (l: number) => {
    const call = levels[l].aggregate;
    return prepareAggregate({
      name: call.required('Name').symbol?.name ?? '',
      node: call,
      args: call.required('ArgumentList').list('Expressions'),
      scope,
      outputs: [output[2 * l + 1]],
      byColumns: new Set(),
    });
  };
  /** Paths with the level at which each first went through "others" (levels.length: never). */
  const paths: Array<{ values: Value[]; othersAt: number }> = [];
  const othersPath = (rows: Uint32Array, l: number, prefix: Value[]): void => {
    const values = [...prefix];
    for (let m = l; m < levels.length; m++) {
      const others = levels[m].others;
      if (others === undefined) values.push(null, null);
      else values.push(others, prepare(m).run({ rows, groupOf: new Int32Array(rows.length), groupCount: 1 })[0].get(0));
    }
    paths.push({ values, othersAt: l });
  };
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
    const values = prepare(l).run({ rows, groupOf, groupCount: keys.length })[0];
    const order = keys.map((_, g) => g);
    order.sort((a, b) => {
      const x = values.get(a);
      const y = values.get(b);
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return level.descending ? compareValues(y, x) : compareValues(x, y);
    });
    const top = order.slice(0, level.limit);
    for (const g of top) {
      const path = [...prefix, keys[g], values.get(g)];
      if (l + 1 === levels.length) paths.push({ values: path, othersAt: levels.length });
      else descend(rows.filter((_, k) => groupOf[k] === g), l + 1, path);
    }
    if (withOthers && top.length < keys.length) {
      const inTop = new Set(top);
      othersPath(rows.filter((_, k) => !inTop.has(groupOf[k])), l, prefix);
    }
  };
  descend(input.rowIndexes(), 0, []);
  ctx.budget.rows(paths.length, op);
  const ordered = paths.map((p, k) => ({ ...p, k })).sort((a, b) => b.othersAt - a.othersAt || a.k - b.k);
  const columns = output.map((out, c) => {
    const b = columnBuilder(out.type, ordered.length);
    for (const p of ordered) b.append(p.values[c]);
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    paths.length,
  );
}
