import { KqlRuntimeError } from '../errors';
import type { AnalyzedQuery } from '../parser/analyzer';
import type { ColumnInfo } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { QueryResult } from '../types';
import { toCell } from '../values/value';
import type { QueryBudget } from './budget';
import type { QueryContext } from './context';
import { bindLet } from './let-binding';
import { compileScalar } from './scalar';


/** Runs the statements of a query block and returns its single tabular result. */
export function evaluateQuery(query: AnalyzedQuery, ctx: QueryContext): Table {
  let result: Table | null = null;
  for (const statement of query.root.list('Statements')) {
    if (statement.kind === 'LetStatement') bindLet(statement, ctx, compileScalar);
    else if (statement.kind === 'ExpressionStatement') {
      const expr = statement.required('Expression');
      if (result) return ctx.unsupported(statement, 'several result sets in one query');
      if (!expr.tableColumns) return ctx.unsupported(expr, 'a query whose result is not a table');
      result = ctx.tabular(expr);
    } else return ctx.unsupported(statement);
  }
  if (!result) throw new KqlRuntimeError('The query has no tabular expression to return');
  return result;
}

/**
 * The wire shape: JSON-safe cells, named and typed by the analyser's result schema when it has one.
 * A large result is a copy of every cell, so the query's limits are checked as it is built.
 */
export function toQueryResult(table: Table, resultColumns: ColumnInfo[] | null, budget: QueryBudget): QueryResult {
  const columns =
    resultColumns && resultColumns.length === table.fields.length
      ? resultColumns.map((c) => ({ name: c.name, type: c.type }))
      : table.fields.map((f) => ({ name: f.name, type: f.type }));
  const rows = new Array(table.length);
  for (let k = 0; k < table.length; k++) {
    budget.work(1);
    const i = table.rowAt(k);
    rows[k] = table.columns.map((c, j) => toCell(c.get(i), columns[j].type));
  }
  return { columns, rows };
}
