import { FILE_PROFILE_COLUMNS } from '../parser/catalog';
import type { ColumnInfo, SyntaxNode } from '../parser/syntax-node';
import { columnBuilder } from '../storage/column-builder';
import { Table } from '../storage/table';
import { toKustoString } from '../values/convert';
import type { QueryContext } from './context';
import { decodeStringLiteral } from './literals';

const PROFILE_NAMES = new Set(FILE_PROFILE_COLUMNS.map((c) => c.name));

/** The input column FileProfile's first argument names: `SHA1`, `"SHA256"`, or SHA1 by default. */
function keyColumn(call: SyntaxNode): string {
  const first = call.child('ArgumentList')?.list('Expressions')[0];
  if (!first) return 'SHA1';
  if (first.kind === 'NameReference') return first.symbol?.name ?? first.text.trim();
  if (first.kind === 'StringLiteralExpression') return decodeStringLiteral(first.text.trim());
  return 'SHA1';
}

/**
 * Defender's FileProfile() enrichment. Locally the profile of a file comes from a `FileProfile` table
 * (FileProfile.jsonl) keyed by SHA1 or SHA256; without one, or for a file it does not list, the
 * profile columns are null (an input column of the same name keeps its value).
 */
export function fileProfile(call: SyntaxNode, input: Table, ctx: QueryContext, output: readonly ColumnInfo[]): Table {
  const key = keyColumn(call);
  const keyIndex = input.indexOf(key);
  if (keyIndex < 0) return ctx.unsupported(call, `FileProfile over a column ${key} the rows do not have`);
  const profiles = ctx.db.table('FileProfile');
  const profileKey = profiles ? profiles.indexOf(key.endsWith('SHA256') ? 'SHA256' : 'SHA1') : -1;
  const byHash = new Map<string, number>();
  if (profiles && profileKey >= 0) {
    for (let k = 0; k < profiles.length; k++) {
      const i = profiles.rowAt(k);
      const hash = String(profiles.columns[profileKey].get(i) ?? '').toLowerCase();
      if (hash && !byHash.has(hash)) byHash.set(hash, i);
    }
  }
  const rows = input.rowIndexes();
  const keyColumnData = input.columns[keyIndex];
  const match = Int32Array.from(rows, (i) => byHash.get(toKustoString(keyColumnData.get(i), input.fields[keyIndex].type).toLowerCase()) ?? -1);
  const columns = output.map((out) => {
    const inputIndex = input.indexOf(out.name);
    const profileIndex = profiles && PROFILE_NAMES.has(out.name) ? profiles.indexOf(out.name) : -1;
    if (!PROFILE_NAMES.has(out.name) && inputIndex >= 0) return input.columns[inputIndex].gather(rows);
    const b = columnBuilder(out.type, rows.length);
    for (let k = 0; k < rows.length; k++) {
      const fromProfile = profileIndex >= 0 && match[k] >= 0 ? profiles!.columns[profileIndex].get(match[k]) : null;
      const fromInput = inputIndex >= 0 ? input.columns[inputIndex].get(rows[k]) : null;
      b.append(fromProfile !== null && fromProfile !== '' ? fromProfile : fromInput);
    }
    return b.build();
  });
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    rows.length,
  );
}
