import { KqlRuntimeError } from '../../errors';
import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import { fromDynamic } from '../../values/convert';
import type { Value } from '../../values/value';
import type { QueryContext } from '../context';
import { compileScalar } from '../scalar';

/**
 * evaluate bag_unpack(Column [, Prefix]): one column per property of the bags (dynamic, in first-seen
 * order), the bag column dropped. The analyser cannot know the properties, so without an output
 * schema (`: (A:long, ...)`) the table is wider than it says; operators after it read columns by name.
 */
export function bagUnpack(op: SyntaxNode, input: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const call = op.required('FunctionCall');
  const args = call.required('ArgumentList').list('Expressions');
  const bagNode = args[0];
  const bagColumn = bagNode?.kind === 'NameReference' ? (bagNode.symbol?.name ?? bagNode.text.trim()) : null;
  if (!bagColumn || input.indexOf(bagColumn) < 0) return ctx.unsupported(call, 'bag_unpack of something other than a column');
  const prefix = args[1] ? String(compileScalar(args[1], { ctx, table: null }).eval(-1) ?? '') : '';
  const rows = input.rowIndexes();
  const bags = input.columns[input.indexOf(bagColumn)];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < rows.length; k++) {
    const bag = bags.get(rows[k]);
    if (bag && typeof bag === 'object' && !Array.isArray(bag)) {
      for (const key of Object.keys(bag)) {
        if (seen.has(key)) continue;
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const kept = input.fields.filter((f) => f.name !== bagColumn);
  const unpackedNames = keys.map((key) => prefix + key);
  const clash = unpackedNames.find((name) => kept.some((f) => f.name === name));
  if (clash) throw new KqlRuntimeError(`bag_unpack: the property ${clash} is also a column of the input`, ctx.position(call));
  const valueOf = (k: number, name: string): Value => {
    const bag = bags.get(rows[k]) as Record<string, unknown> | null;
    const v = bag && typeof bag === 'object' ? bag[name.slice(prefix.length)] : undefined;
    return v === undefined ? null : (v as Value);
  };
  const explicit = op.child('Schema') !== null;
  const fields: ColumnInfo[] = explicit ? output : [...kept.map((f) => ({ name: f.name, type: f.type })), ...unpackedNames.map((name) => ({ name, type: 'dynamic' as const }))];
  const columns = fields.map((f) => {
    const index = input.indexOf(f.name);
    if (index >= 0 && f.name !== bagColumn && input.fields[index].type === f.type) return input.columns[index].gather(rows);
    const b = columnBuilder(f.type, rows.length);
    for (let k = 0; k < rows.length; k++) {
      const v = index >= 0 ? input.columns[index].get(rows[k]) : seen.has(f.name.slice(prefix.length)) ? valueOf(k, f.name) : null;
      b.append(f.type === 'dynamic' ? v : fromDynamic(v, f.type));
    }
    return b.build();
  });
  return new Table(fields, columns, rows.length);
}
