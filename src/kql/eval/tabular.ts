import type { ColumnInfo, SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { QueryContext } from './context';
import { externalData } from './external-data';
import { filterTable } from './filter';
import { innerUniqueLeftFiltered } from './innerunique-filters';
import { join, lookup } from './operators/join';
import { mvApply } from './operators/mv-apply';
import { makeSeries } from './operators/make-series';
import { mvExpand } from './operators/mv-expand';
import { extend, project, projectRename, selectByName } from './operators/project';
import { count, distinct, sort, take, top } from './operators/rows';
import { summarize } from './operators/summarize';
import { bagUnpack } from './operators/bag-unpack';
import { parse } from './operators/parse';
import { partition } from './operators/partition';
import { evaluatedPlugin } from './support-check';
import { serialize } from './operators/serialize';
import { topNested } from './operators/top-nested';
import { union } from './operators/union';
import { markOpen, openResult } from './open-columns';
import { find } from './operators/find';
import { pivot } from './operators/pivot';
import { ipv4Lookup } from './operators/ipv4-lookup';
import { pipedSourceName, search } from './operators/search';
import { dataTable, functionReference, invoke, namedTable, print, range, tabularCall } from './sources';

/** Evaluates a tabular expression: a source, or a pipe of operators over one. */
export function evaluateTabular(node: SyntaxNode, ctx: QueryContext): Table {
  switch (node.kind) {
    case 'PipeExpression': {
      const op = node.required('Operator');
      const input = op.kind === 'FilterOperator' ? filteredJoinInput(node, ctx) : evaluateTabular(node.required('Expression'), ctx);
      const output = node.tableColumns ?? [];
      return measured(op, ctx, () => conform(applyOperator(op, input, ctx, output, node.required('Expression')), output, op, ctx, input));
    }
    case 'ParenthesizedExpression':
    case 'MaterializeExpression': // a cache hint: the value is the argument's
      return evaluateTabular(node.required('Expression'), ctx);
    case 'NameReference': {
      const symbol = node.symbol;
      if (symbol?.kind === 'Table') return namedTable(node, ctx);
      const argument = symbol?.kind === 'Parameter' ? ctx.argument(symbol.name) : undefined;
      if (argument?.kind === 'tabular') return argument.table;
      const binding = symbol ? ctx.bindings.get(symbol.name) : undefined;
      if (binding?.kind === 'tabular') return binding.table();
      if (binding?.kind === 'function') return functionReference(binding.declaration, node, ctx);
      return ctx.unsupported(node, `the tabular reference ${node.text.trim()}`);
    }
    case 'FunctionCallExpression':
      return tabularCall(node, ctx);
    case 'DataTableExpression':
      return dataTable(node, ctx);
    case 'ExternalDataExpression':
      return measured(node, ctx, () => externalData(node, ctx));
    case 'RangeOperator':
      return measured(node, ctx, () => range(node, ctx));
    case 'PrintOperator':
      return print(node, ctx, node.tableColumns ?? []);
    case 'UnionOperator':
      return measured(node, ctx, () => conform(union(node, null, ctx, node.tableColumns ?? []), node.tableColumns ?? [], node, ctx));
    case 'SearchOperator': // with no piped input: over its `in (...)` tables, or every loaded table
      return measured(node, ctx, () => conform(search(node, null, ctx, node.tableColumns ?? []), node.tableColumns ?? [], node, ctx));
    case 'FindOperator':
      return measured(node, ctx, () => conform(find(node, ctx, node.tableColumns ?? []), node.tableColumns ?? [], node, ctx));
    default: {
      // An operator with no source inside a subquery (mv-apply ... on (top 2 by x)) reads the implicit input.
      const implicit = ctx.implicitInputs[ctx.implicitInputs.length - 1];
      if (implicit && node.kind.endsWith('Operator')) {
        const output = node.tableColumns ?? [];
        return measured(node, ctx, () => conform(applyOperator(node, implicit, ctx, output), output, node, ctx, implicit));
      }
      return ctx.unsupported(node);
    }
  }
}

/**
 * The input of a `where`. When where clauses follow an innerunique join, the left-only ones run on
 * the join's left input first, as Kusto does; they then run again after the join, which changes nothing.
 */
function filteredJoinInput(pipe: SyntaxNode, ctx: QueryContext): Table {
  const pushed = innerUniqueLeftFiltered(pipe, ctx, (condition, table) => filterTable(condition, table, ctx));
  if (!pushed) return evaluateTabular(pipe.required('Expression'), ctx);
  const { join: joinPipe, left } = pushed;
  const joinOp = joinPipe.required('Operator');
  const joined = measured(joinOp, ctx, () => conform(join(joinOp, left, ctx, joinPipe.tableColumns ?? []), joinPipe.tableColumns ?? [], joinOp, ctx));
  return reapplyFilters(pipe.required('Expression'), joinPipe, joined, ctx);
}

/** Runs the where clauses between `from` (exclusive, outermost) and the join on the joined rows. */
function reapplyFilters(node: SyntaxNode, joinPipe: SyntaxNode, joined: Table, ctx: QueryContext): Table {
  if (node.start === joinPipe.start && node.end === joinPipe.end) return joined;
  const input = reapplyFilters(node.required('Expression'), joinPipe, joined, ctx);
  return filterTable(node.required('Operator').required('Condition'), input, ctx);
}

/** Evaluates an operator as the budget's current operator, and checks the limits after it. */
function measured(node: SyntaxNode, ctx: QueryContext, evaluate: () => Table): Table {
  const outer = ctx.budget.enter(node);
  const table = evaluate();
  ctx.budget.check();
  ctx.budget.leave(outer);
  return table;
}

/** `source`: the expression the input came from, when it is piped (search names its rows by it). */
function applyOperator(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[], source?: SyntaxNode): Table {
  switch (op.kind) {
    case 'FilterOperator':
      return filterTable(op.required('Condition'), input, ctx);
    case 'ProjectOperator':
      return project(op, input, ctx, output);
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
      return selectByName(input, output, op, ctx);
    case 'ProjectRenameOperator':
      return projectRename(op, input, ctx, output);
    case 'ExtendOperator':
      return extend(op, input, ctx, output);
    case 'SummarizeOperator':
      return summarize(op, input, ctx, output);
    case 'MakeSeriesOperator':
      return makeSeries(op, input, ctx, output);
    case 'SortOperator':
      return sort(op, input, ctx);
    case 'TopOperator':
      return top(op, input, ctx);
    case 'TakeOperator':
      return take(op, input, ctx);
    case 'DistinctOperator':
      return distinct(op, input, ctx, output);
    case 'CountOperator':
      return count(input, output);
    case 'JoinOperator':
      return join(op, input, ctx, output);
    case 'LookupOperator':
      return lookup(op, input, ctx, output);
    case 'UnionOperator':
      return union(op, input, ctx, output);
    case 'MvExpandOperator':
      return mvExpand(op, input, ctx, output);
    case 'EvaluateOperator':
      if (evaluatedPlugin(op) === 'bag_unpack') return bagUnpack(op, input, ctx, output);
      if (evaluatedPlugin(op) === 'pivot') return pivot(op, input, ctx, output);
      if (evaluatedPlugin(op) === 'ipv4_lookup') return ipv4Lookup(op, input, ctx);
      return ctx.unsupported(op, `evaluate ${evaluatedPlugin(op)}()`);
    case 'ParseOperator':
      return parse(op, input, ctx, output, true);
    case 'ParseWhereOperator':
      return parse(op, input, ctx, output, false);
    case 'InvokeOperator':
      return invoke(op, input, ctx, output);
    case 'TopNestedOperator':
      return topNested(op, input, ctx, output);
    case 'PartitionOperator':
      return partition(op, input, ctx, output);
    case 'MvApplyOperator':
      return mvApply(op, input, ctx, output);
    case 'SearchOperator':
      return search(op, { name: pipedSourceName(source), table: input }, ctx, output);
    case 'SerializeOperator':
      return serialize(op, input, ctx, output);
    case 'RenderOperator':
      // Charts are drawn by the client: the rows pass through, the chart type is kept for the caller.
      ctx.chart = op.child('ChartType')?.text.trim() ?? '';
      return input;
    default:
      return ctx.unsupported(op);
  }
}

const ROW_ONLY_OPERATORS = new Set(['UnionOperator', 'FilterOperator', 'SortOperator', 'TakeOperator', 'TopOperator', 'SerializeOperator']);

/**
 * Names and types every operator's output as the analyser computed them (count_, set_SHA1,
 * DeviceId1, ...). A column-count mismatch means our evaluation diverged: refuse, never guess.
 */
function conform(table: Table, output: ColumnInfo[], op: SyntaxNode, ctx: QueryContext, input?: Table): Table {
  const open = openResult(table, output, input);
  if (open) return open;
  if (table.fields.length !== output.length) {
    // The analyser does not narrow union kind=inner to the common columns; it and the operators after
    // it that only pick or order rows keep the columns they were given.
    if (ROW_ONLY_OPERATORS.has(op.kind)) return table;
    // bag_unpack's and pivot's columns come from the data: the analyser only knows the ones it keeps.
    if (op.kind === 'EvaluateOperator' && !op.child('Schema')) return markOpen(table);
    return ctx.unsupported(op, `this ${op.kind} (it yields ${table.fields.length} columns, the analyser expects ${output.length})`);
  }
  return table.withColumns(
    output.map((c) => ({ name: c.name, type: c.type })),
    table.columns,
  );
}
