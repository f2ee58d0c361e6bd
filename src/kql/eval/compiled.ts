import type { Column } from '../storage/column';
import type { Table } from '../storage/table';
import type { KustoType } from '../types';
import type { Value } from '../values/value';
import type { Compiled, RowFn } from './compiled-value';
import type { QueryContext } from './context';

export type { Compiled, RowFn } from './compiled-value';

/** What a scalar expression is compiled against. */
export interface Scope {
  ctx: QueryContext;
  /** The rows' table; null where there is no row (print, let). */
  table: Table | null;
  /**
   * When set, reading column `column` yields `current` instead: lets an expression of one
   * dictionary-encoded column be evaluated once per distinct value.
   */
  override?: { column: number; current: string };
  /** Inside an expression over aggregates: the column of `table` holding each aggregate call's value, by the call's offset. */
  aggregates?: ReadonlyMap<number, number>;
}

const NO_COLUMNS: ReadonlySet<number> = new Set();

export function constantOf(type: KustoType, value: Value): Compiled {
  return { type, eval: () => value, constant: true, columns: NO_COLUMNS };
}

/**
 * Combines compiled parts into a new expression. When every part is constant the result is
 * folded to a constant (all functions we evaluate are pure and now() is fixed per query).
 */
export function derived(type: KustoType, parts: readonly Compiled[], fn: RowFn): Compiled {
  if (parts.every((p) => p.constant)) return constantOf(type, fn(-1));
  const columns = new Set<number>();
  for (const p of parts) for (const c of p.columns) columns.add(c);
  return parts.some((p) => p.volatile) ? { type, eval: fn, constant: false, columns, volatile: true } : { type, eval: fn, constant: false, columns };
}

export function columnRead(type: KustoType, column: number, fn: RowFn, source?: Column): Compiled {
  return { type, eval: fn, constant: false, columns: new Set([column]), source };
}
