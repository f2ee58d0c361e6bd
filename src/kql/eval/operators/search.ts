import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Table } from '../../storage/table';
import type { QueryContext } from '../context';
import { withEmptyColumns } from '../empty-columns';
import { predicateColumns, searchFilter } from '../search-predicate';
import { type NamedSource, searchedTables } from '../searched-tables';
import { stackSources } from '../stack-sources';
import { parameterText } from './parameters';

/** The column search adds: each row's table (search operator page, Remarks). */
export const SEARCH_SOURCE_COLUMN = '$table';

/**
 * The `$table` value of rows searched from a piped input: the table or let name it is, else the name
 * union gives a piped input (the page only says "some system-generated name").
 */
export function pipedSourceName(source: SyntaxNode | undefined): string {
  if (source?.kind === 'NameReference' && source.symbol) return source.symbol.name;
  return 'union_arg0';
}

/**
 * `[T |] search [kind=case_sensitive] [in (T1, T2, A*)] Predicate`: the rows of each input the
 * predicate holds for, stacked as the analyser's columns with `$table` first. Without a piped input
 * or `in`, every loaded table is searched.
 */
export function search(op: SyntaxNode, piped: NamedSource | null, ctx: QueryContext, output: ColumnInfo[]): Table {
  const caseSensitive = parameterText(op, 'kind')?.toLowerCase() === 'case_sensitive';
  const predicate = op.required('Condition');
  const wanted = predicateColumns(predicate);
  const sources = piped ? [piped] : searchedTables(op, ctx);
  const matched = sources.map((s) => ({ name: s.name, table: searchFilter(predicate, withEmptyColumns(s.table, wanted), ctx, caseSensitive) }));
  return stackSources(matched, output, SEARCH_SOURCE_COLUMN, op, ctx);
}
