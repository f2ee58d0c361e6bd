import type { Column } from '../storage/column';
import type { KustoType } from '../types';
import type { Value } from '../values/value';

/** Evaluates an expression for the row at physical index i of the scope's table. */
export type RowFn = (i: number) => Value;

/** A scalar expression compiled to a closure, with what the fast paths need to know about it. */
export interface Compiled {
  type: KustoType;
  eval: RowFn;
  /** True when the value does not depend on the row (literals, let scalars, now(), ...). */
  constant: boolean;
  /** Indexes of the input columns the expression reads. */
  columns: ReadonlySet<number>;
  /** Set when the expression is a bare column reference: the column, for typed fast paths. */
  source?: Column;
  /**
   * True when the value depends on more than the row's own columns (new_guid(), rand(), row_number(),
   * prev()): such an expression is never folded nor evaluated once per distinct value.
   */
  volatile?: boolean;
}

