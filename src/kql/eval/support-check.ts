import { FILE_PROFILE_FUNCTION } from '../parser/catalog';
import type { SyntaxNode } from '../parser/syntax-node';
import type { QueryContext } from './context';
import { functionCallProblem, severalNamesProblem } from './function-refusals';
import { AGGREGATE_FUNCTIONS, isScalarFunction } from './functions';
import { unsupportedSeriesAggregate } from './operators/make-series';
import { isTupleFunction } from './series/tuple-functions';
import { isTabularFunction } from './sources';
import { declaredName } from './literals';
import { NEGATED_STRING_OPERATORS, STRING_OPERATORS } from './string-ops';

/** Tabular operators and sources the evaluator runs (see tabular.ts). */
export const SUPPORTED_OPERATORS: ReadonlySet<string> = new Set([
  'FilterOperator',
  'ProjectOperator',
  'ProjectAwayOperator',
  'ProjectKeepOperator',
  'ProjectReorderOperator',
  'ProjectRenameOperator',
  'ExtendOperator',
  'SummarizeOperator',
  'SortOperator',
  'TopOperator',
  'TakeOperator',
  'DistinctOperator',
  'CountOperator',
  'JoinOperator',
  'LookupOperator',
  'UnionOperator',
  'MvExpandOperator',
  'RangeOperator',
  'PrintOperator',
  'SerializeOperator',
  'RenderOperator',
  'InvokeOperator',
  'ParseOperator',
  'ParseWhereOperator',
  'MvApplyOperator',
  'PartitionOperator',
  'TopNestedOperator',
  'MakeSeriesOperator',
  'SearchOperator',
  'FindOperator',
]);

/** `evaluate` plugins the evaluator runs. */
const SUPPORTED_PLUGINS: ReadonlySet<string> = new Set(['bag_unpack', 'pivot', 'ipv4_lookup']);

/** The plugin an `evaluate` operator calls. */
export function evaluatedPlugin(op: SyntaxNode): string {
  return op.child('FunctionCall')?.child('Name')?.text.trim() ?? '';
}

/** Expression kinds the scalar compiler and the operators understand. */
const SUPPORTED_EXPRESSIONS: ReadonlySet<string> = new Set([
  ...Object.keys(STRING_OPERATORS),
  'StringLiteralExpression',
  'CompoundStringLiteralExpression',
  'LongLiteralExpression',
  'IntLiteralExpression',
  'RealLiteralExpression',
  'DecimalLiteralExpression',
  'BooleanLiteralExpression',
  'NullLiteralExpression',
  'DateTimeLiteralExpression',
  'TimespanLiteralExpression',
  'GuidLiteralExpression',
  'TypeOfLiteralExpression',
  'AddExpression',
  'SubtractExpression',
  'MultiplyExpression',
  'DivideExpression',
  'ModuloExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'NameReference',
  'ParenthesizedExpression',
  'UnaryMinusExpression',
  'UnaryPlusExpression',
  'EqualExpression',
  'NotEqualExpression',
  'AndExpression',
  'OrExpression',
  'MatchesRegexExpression',
  'InExpression',
  'NotInExpression',
  'InCsExpression',
  'NotInCsExpression',
  'HasAnyExpression',
  'HasAllExpression',
  'BetweenExpression',
  'NotBetweenExpression',
  'FunctionCallExpression',
  'ToScalarExpression',
  'PathExpression',
  'ElementExpression',
  'BracketedExpression',
  'DynamicExpression',
  'JsonObjectExpression',
  'JsonArrayExpression',
  'SimpleNamedExpression',
  'CompoundNamedExpression',
  'OrderedExpression',
  'StarExpression',
  'ExpressionCouple',
  'PipeExpression',
  'DataTableExpression',
  'ExternalDataExpression',
  'ExternalDataWithClause',
  'EvaluateSchemaClause',
  'MaterializeExpression',
  'MvExpandExpression',
  'MvApplyExpression',
  'MvApplySubqueryExpression',
  'FunctionDeclaration',
  'PrimitiveTypeExpression',
  'TokenLiteralExpression',
  'SchemaTypeExpression',
  'NameAndTypeDeclaration',
  'MakeSeriesExpression',
  // search/find predicates and clauses (search-predicate.ts, operators/find.ts)
  'SearchExpression',
  'TypedColumnReference',
  'PackExpression',
]);

/** The construct a node is, when the evaluator cannot run it; null when it can (as far as a static look tells). */
function unsupportedConstruct(node: SyntaxNode, declared: ReadonlySet<string>): string | null {
  const kind = node.kind;
  if (kind === 'FunctionCallExpression') {
    const nameNode = node.required('Name');
    const name = nameNode.symbol?.name ?? nameNode.text.trim();
    const symbolKind = nameNode.symbol?.kind;
    const problem = declared.has(name) ? null : functionCallProblem(node, name);
    if (problem) return problem;
    if (SUPPORTED_PLUGINS.has(name) || AGGREGATE_FUNCTIONS.has(name) || isScalarFunction(name) || isTupleFunction(name) || isTabularFunction(name) || declared.has(name) || name === FILE_PROFILE_FUNCTION) return null;
    return symbolKind === 'Function' || !symbolKind ? `the function ${name}()` : null;
  }
  if (kind === 'MakeSeriesExpression') return unsupportedSeriesAggregate(node);
  if (kind === 'EvaluateOperator') return SUPPORTED_PLUGINS.has(evaluatedPlugin(node)) ? null : `evaluate ${evaluatedPlugin(node)}() (EvaluateOperator)`;
  if (kind.endsWith('Operator')) return SUPPORTED_OPERATORS.has(kind) ? severalNamesProblem(node) : kind;
  if (kind.endsWith('Expression')) return SUPPORTED_EXPRESSIONS.has(kind) ? null : kind;
  if (kind.endsWith('Statement')) return kind === 'LetStatement' || kind === 'ExpressionStatement' ? null : kind;
  return null;
}

/**
 * Refuses a query that uses a construct the engine does not evaluate BEFORE any row is read, naming
 * the first such construct and its position. Without it, a hunt whose unsupported part sits after a
 * filter that matches nothing would "succeed" with no rows locally and fail on real data.
 */
export function refuseUnsupported(root: SyntaxNode, ctx: QueryContext): void {
  const declared = declaredFunctions(root);
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    const construct = unsupportedConstruct(node, declared);
    if (construct) ctx.unsupported(node, construct);
    // find reads tables (its `in (...)` or all of them), never a piped input.
    if (node.kind === 'PipeExpression' && node.child('Operator')?.kind === 'FindOperator') ctx.unsupported(node.required('Operator'), 'FindOperator over a piped input');
    // `* has "x"` is documented; `* !has "x"` (any column? every column?) is not.
    if (NEGATED_STRING_OPERATORS.has(node.kind) && node.child('Left')?.kind === 'StarExpression') ctx.unsupported(node, `${node.kind} over *`);
    const children = node.children();
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
}

/** Names of the query's `let f = (...) { ... }` functions. */
function declaredFunctions(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.isToken) continue;
    if (node.kind === 'LetStatement' && node.child('Expression')?.kind === 'FunctionDeclaration') names.add(declaredName(node));
    pending.push(...node.children());
  }
  return names;
}
