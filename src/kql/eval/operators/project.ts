import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { type Field, Table } from '../../storage/table';
import type { Scope } from '../compiled';
import type { QueryContext } from '../context';
import { evaluateColumn } from '../evaluate-column';
import { declaredName } from '../literals';
import { tupleColumns } from '../series/tuple-functions';

/** The declared name of `Name = expr` (plain or bracketed `['a b']`). */

/** The expression a project/extend item computes, and whether it is a bare column reference. */
function itemExpression(item: SyntaxNode, ctx: QueryContext): SyntaxNode {
  if (item.kind === 'SimpleNamedExpression') return item.required('Expression');
  if (item.kind === 'CompoundNamedExpression') return ctx.unsupported(item, 'assigning several names at once');
  return item;
}

/** True for an item computing several columns: `(a, b) = f(x)` or an unnamed tuple-valued call like `series_stats(x)`. */
function isTupleItem(item: SyntaxNode): boolean {
  return item.kind === 'CompoundNamedExpression' || item.typeName === 'tuple';
}

/** The columns a tuple item produces: its declared names first, then the call's own names for the rest. */
function tupleNames(item: SyntaxNode): string[] {
  const call = item.kind === 'CompoundNamedExpression' ? item.required('Expression') : item;
  const own = (call.tableColumns ?? []).map((c) => c.name);
  if (item.kind !== 'CompoundNamedExpression') return own;
  const declared = item.required('Names').list('Names').map((n) => n.text.trim());
  return own.map((name, k) => declared[k] ?? name);
}

function tupleCall(item: SyntaxNode): SyntaxNode {
  return item.kind === 'CompoundNamedExpression' ? item.required('Expression') : item;
}

function bareColumn(expr: SyntaxNode, table: Table): number {
  if (expr.kind !== 'NameReference' || expr.symbol?.kind !== 'Column') return -1;
  return table.indexOf(expr.symbol.name);
}

/** project: one output column per item; bare column references keep the selection, no copying. */
export function project(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const items = op.list('Expressions');
  if (items.some(isTupleItem)) return projectWithTuples(items, input, ctx, output);
  const expressions = items.map((item) => itemExpression(item, ctx));
  const allBare = expressions.every((e) => bareColumn(e, input) >= 0);
  if (allBare) {
    const indexes = expressions.map((e) => bareColumn(e, input));
    return input.withColumns(
      indexes.map((i, k) => ({ name: output[k]?.name ?? input.fields[i].name, type: input.fields[i].type })),
      indexes.map((i) => input.columns[i]),
    );
  }
  const rows = input.rowIndexes();
  const scope: Scope = { ctx, table: input };
  const fields: Field[] = [];
  const columns: Column[] = [];
  expressions.forEach((expr, k) => {
    const bare = bareColumn(expr, input);
    const type = output[k]?.type ?? expr.scalarType ?? 'dynamic';
    columns.push(bare >= 0 ? input.columns[bare].gather(rows) : evaluateColumn(expr, scope, rows, type));
    fields.push({ name: output[k]?.name ?? `Column${k + 1}`, type });
  });
  return new Table(fields, columns, rows.length);
}

/** project with items that compute several columns each: output columns are consumed in order. */
function projectWithTuples(items: SyntaxNode[], input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const rows = input.rowIndexes();
  const scope: Scope = { ctx, table: input };
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const item of items) {
    if (isTupleItem(item)) {
      const names = tupleNames(item);
      const types = names.map((_, k) => output[fields.length + k]?.type ?? 'dynamic');
      columns.push(...tupleColumns(tupleCall(item), scope, rows, types));
      names.forEach((name, k) => fields.push({ name: output[fields.length]?.name ?? name, type: types[k] }));
      continue;
    }
    const expr = itemExpression(item, ctx);
    const type = output[fields.length]?.type ?? expr.scalarType ?? 'dynamic';
    columns.push(evaluateColumn(expr, scope, rows, type));
    fields.push({ name: output[fields.length]?.name ?? `Column${fields.length + 1}`, type });
  }
  return new Table(fields, columns, rows.length);
}

/**
 * extend: items are evaluated in order, each seeing the columns added before it; a name that
 * already exists is replaced in place. Unnamed items take the analyser's names for new columns.
 */
export function extend(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const items = op.list('Expressions');
  let table = input.compact();
  const namedTargets = new Set(items.filter((i) => i.kind === 'SimpleNamedExpression').map(declaredName));
  for (const item of items.filter(isTupleItem)) for (const name of tupleNames(item)) namedTargets.add(name);
  const inputNames = new Set(input.fields.map((f) => f.name));
  const generated = output.filter((c) => !inputNames.has(c.name) && !namedTargets.has(c.name)).map((c) => c.name);
  let nextGenerated = 0;
  for (const item of items) {
    if (isTupleItem(item)) {
      table = extendTuple(item, table, ctx, output);
      continue;
    }
    const expr = itemExpression(item, ctx);
    const name = item.kind === 'SimpleNamedExpression' ? declaredName(item) : generated[nextGenerated++];
    const type = output.find((c) => c.name === name)?.type ?? expr.scalarType ?? 'dynamic';
    const column = evaluateColumn(expr, { ctx, table }, table.rowIndexes(), type);
    const existing = table.indexOf(name);
    const fields = [...table.fields];
    const columns = [...table.columns];
    if (existing >= 0) {
      fields[existing] = { name, type };
      columns[existing] = column;
    } else {
      fields.push({ name, type });
      columns.push(column);
    }
    table = new Table(fields, columns, table.physicalLength);
  }
  return table;
}

/** extend with `(a, b) = f(x)` or `f(x)` of a tuple-valued function: its columns, added or replaced by name. */
function extendTuple(item: SyntaxNode, table: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const names = tupleNames(item);
  const types = names.map((name) => output.find((c) => c.name === name)?.type ?? 'dynamic');
  const computed = tupleColumns(tupleCall(item), { ctx, table }, table.rowIndexes(), types);
  const fields = [...table.fields];
  const columns = [...table.columns];
  names.forEach((name, k) => {
    const existing = fields.findIndex((f) => f.name === name);
    if (existing >= 0) {
      fields[existing] = { name, type: types[k] };
      columns[existing] = computed[k];
    } else {
      fields.push({ name, type: types[k] });
      columns.push(computed[k]);
    }
  });
  return new Table(fields, columns, table.physicalLength);
}

/** project-away / project-keep / project-reorder: the analyser's output names, read from the input. */
export function selectByName(input: Table, output: ColumnInfo[], op: SyntaxNode, ctx: QueryContext): Table {
  const indexes = output.map((c) => input.indexOf(c.name));
  const missing = indexes.indexOf(-1);
  if (missing >= 0) return ctx.unsupported(op, `${op.kind} producing column ${output[missing].name}`);
  return input.withColumns(
    indexes.map((i) => input.fields[i]),
    indexes.map((i) => input.columns[i]),
  );
}

/** project-rename New = Old: same columns, some renamed. */
export function projectRename(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const renames = new Map<string, string>();
  for (const item of op.list('Expressions')) {
    if (item.kind !== 'SimpleNamedExpression') return ctx.unsupported(item);
    const source = item.required('Expression');
    renames.set(declaredName(item), source.symbol?.name ?? source.text);
  }
  const indexes = output.map((c) => input.indexOf(renames.get(c.name) ?? c.name));
  if (indexes.includes(-1)) return ctx.unsupported(op, 'this project-rename');
  return input.withColumns(
    indexes.map((i, k) => ({ name: output[k].name, type: input.fields[i].type })),
    indexes.map((i) => input.columns[i]),
  );
}
