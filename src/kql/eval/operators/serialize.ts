import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Table } from '../../storage/table';
import type { QueryContext } from '../context';
import { extend } from './project';

/** serialize [Name = expr, ...]: the rows keep their order (they always have one here); optional columns are added like extend. */
export function serialize(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  return op.list('Expressions').length === 0 ? input : extend(op, input, ctx, output);
}
