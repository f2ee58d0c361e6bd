import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import { fromDynamic } from '../../values/convert';
import type { Value } from '../../values/value';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { compileScalar } from '../scalar';
import { declaredName } from '../literals';
import { namedParameters } from './parameters';

interface Expansion {
  name: string;
  eval: (i: number) => Value;
  /** `to typeof(T)`: elements are cast (non-conforming ones become null), else dynamic. */
  type: KustoType;
}

/** The elements one value expands to: array items, bag entries, or the value itself. Null gives one null. */
function elementsOf(v: Value, bagAsArray: boolean): unknown[] {
  if (v === null) return [null];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object') {
    return Object.entries(v).map(([key, value]) => (bagAsArray ? [key, value] : { [key]: value }));
  }
  return [v];
}

/** `to typeof(T)` casts without parsing: numbers stay numbers, strings stay strings, others become null. */
function castElement(element: unknown, type: KustoType): Value {
  if (element === null || element === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'dynamic':
      return element as Value;
    case 'string':
      return typeof element === 'string' ? element : '';
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return typeof element === 'number' ? fromDynamic(element, type) : null;
    case 'bool':
      return typeof element === 'boolean' ? element : null;
    default:
      return fromDynamic(element, type);
  }
}

/**
 * mv-expand: each row becomes as many rows as its longest expanded value (arrays zip in parallel,
 * shorter ones padded with null); empty arrays and bags give no row, null gives one.
 */
export function mvExpand(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const params = namedParameters(op);
  const bagAsArray = (params.get('kind')?.text.trim() ?? params.get('bagexpansion')?.text.trim()) === 'array';
  const indexColumn = params.get('with_itemindex')?.text.trim();
  const limitNode = op.child('RowLimitClause')?.child('RowLimit');
  const limit = limitNode ? Number(compileScalar(limitNode, { ctx, table: null }).eval(-1)) : Infinity;
  const scope: Scope = { ctx, table: input };
  const expansions: Expansion[] = op.list('Expressions').map((item) => {
    const expr = item.kind === 'MvExpandExpression' || item.kind === 'MvApplyExpression' ? item.required('Expression') : item;
    const named = expr.kind === 'SimpleNamedExpression';
    const valueNode = named ? expr.required('Expression') : expr;
    const name = named ? declaredName(expr) : (valueNode.symbol?.name ?? valueNode.text.trim());
    const typeOf = item.kind === 'MvExpandExpression' || item.kind === 'MvApplyExpression' ? item.child('ToTypeOf') : null;
    const type = typeOf ? (output.find((c) => c.name === name)?.type ?? 'dynamic') : 'dynamic';
    return { name, eval: compileScalar(valueNode, scope).eval, type };
  });

  const sourceRows: number[] = [];
  const itemIndex: number[] = [];
  const expanded: Value[][] = expansions.map(() => []);
  const budget = ctx.budget;
  for (let k = 0; k < input.length; k++) {
    const i = input.rowAt(k);
    const lists = expansions.map((e) => elementsOf(e.eval(i), bagAsArray));
    const n = Math.min(limit, Math.max(...lists.map((l) => l.length)));
    budget.rows(sourceRows.length + n, op);
    budget.work(1 + n);
    for (let j = 0; j < n; j++) {
      sourceRows.push(i);
      itemIndex.push(j);
      expansions.forEach((e, c) => expanded[c].push(castElement(j < lists[c].length ? lists[c][j] : null, e.type)));
    }
  }
  const rows = Uint32Array.from(sourceRows);
  const columns: Column[] = output.map((out) => {
    const c = expansions.findIndex((e) => e.name === out.name);
    const b = columnBuilder(out.type, rows.length);
    if (c >= 0) expanded[c].forEach((v) => b.append(v));
    else if (out.name === indexColumn) itemIndex.forEach((v) => b.append(v));
    else {
      const index = input.indexOf(out.name);
      if (index < 0) return ctx.unsupported(op, `mv-expand producing column ${out.name}`);
      return input.columns[index].gather(rows);
    }
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    rows.length,
  );
}
