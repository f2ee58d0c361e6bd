import type { KqlDatabase } from '../database';
import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { QueryContext } from './context';
import { namedTable } from './sources';
import { isWildcardName, wildcardPattern } from './wildcard-names';

/** One input of search/find: the name its `$table`/`source_` column shows, and its rows. */
export interface NamedSource {
  name: string;
  table: Table;
}

/** Loaded tables a wildcard matches, in the database's order. */
export function tablesMatching(db: KqlDatabase, pattern: string): string[] {
  const re = wildcardPattern(pattern);
  return db.tableNames().filter((name) => re.test(name));
}

/**
 * The tables a search/find reads: each entry of its `in (...)` list (a table, a wildcard over the
 * loaded tables, a let name or a parenthesized query), or, without one, every loaded table. Locally
 * "the database" is the loaded data: a table the schema knows but no file holds has no rows to search.
 */
export function searchedTables(op: SyntaxNode, ctx: QueryContext): NamedSource[] {
  const inClause = op.child('InClause');
  if (!inClause) return ctx.db.tableNames().map((name) => ({ name, table: ctx.db.table(name)! }));
  const out: NamedSource[] = [];
  for (const entry of inClause.list('Expressions')) {
    if (isWildcardName(entry)) {
      for (const name of tablesMatching(ctx.db, entry.text.trim())) out.push({ name, table: ctx.db.table(name)! });
      continue;
    }
    if (entry.kind === 'NameReference' && entry.symbol?.kind === 'Table') {
      out.push({ name: entry.symbol.name, table: namedTable(entry, ctx) });
      continue;
    }
    out.push({ name: entry.kind === 'NameReference' ? (entry.symbol?.name ?? entry.text.trim()) : entry.text.trim(), table: ctx.tabular(entry) });
  }
  return out;
}
