import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import { KUSTO_TYPES, type KustoType } from '../../types';
import type { QueryContext } from '../context';
import { declaredName } from '../literals';
import { mvExpand } from './mv-expand';

/** The columns one row expands to: the input's, with the applied ones typed `to typeof(T)` (else dynamic). */
function expandedFields(op: SyntaxNode, input: Table): ColumnInfo[] {
  const fields: ColumnInfo[] = input.fields.map((f) => ({ name: f.name, type: f.type }));
  for (const item of op.list('Expressions')) {
    const expr = item.kind === 'MvApplyExpression' ? item.required('Expression') : item;
    const named = expr.kind === 'SimpleNamedExpression';
    const name = named ? declaredName(expr) : (expr.symbol?.name ?? expr.text.trim());
    const typeText = /typeof\s*\(\s*(\w+)\s*\)/.exec(item.child('ToTypeOf')?.text ?? '')?.[1] ?? 'dynamic';
    const type: KustoType = KUSTO_TYPES.has(typeText) ? (typeText as KustoType) : 'dynamic';
    const existing = fields.find((f) => f.name === name);
    if (existing) existing.type = type;
    else fields.push({ name, type });
  }
  return fields;
}

/**
 * mv-apply Col [to typeof(T)] on (subquery): per input row, the applied arrays are expanded into a
 * table the subquery runs on (its operators take that table as their implicit input); the row's
 * other columns are repeated next to each result row.
 */
export function mvApply(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const fields = expandedFields(op, input);
  const subquery = op.required('Subquery').required('Expression');
  const builders = output.map((c) => columnBuilder(c.type, input.length));
  let total = 0;
  const rows = input.rowIndexes();
  for (let k = 0; k < rows.length; k++) {
    const one = input.withRows(Uint32Array.of(rows[k]));
    const expanded = mvExpand(op, one, ctx, fields);
    ctx.implicitInputs.push(expanded);
    let result: Table;
    try {
      result = ctx.tabular(subquery);
    } finally {
      ctx.implicitInputs.pop();
    }
    total += result.length;
    ctx.budget.rows(total, op);
    output.forEach((out, c) => {
      const fromResult = result.indexOf(out.name);
      const fromInput = input.indexOf(out.name);
      for (let r = 0; r < result.length; r++) {
        builders[c].append(fromResult >= 0 ? result.columns[fromResult].get(result.rowAt(r)) : fromInput >= 0 ? input.columns[fromInput].get(rows[k]) : null);
      }
    });
  }
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    builders.map((b) => b.build()),
    total,
  );
}
