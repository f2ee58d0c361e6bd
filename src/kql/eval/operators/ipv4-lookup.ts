import type { SyntaxNode } from '../../parser/syntax-node';
import { columnBuilder } from '../../storage/column-builder';
import { Table } from '../../storage/table';
import { toKustoString } from '../../values/convert';
import { emptyValue } from '../../values/value';
import type { QueryContext } from '../context';
import { maskIpv4, parseIpv4 } from '../ip-addresses';
import { compileScalar } from '../scalar';

function columnName(node: SyntaxNode | undefined): string {
  return node?.symbol?.name ?? node?.text.trim() ?? '';
}

/** The lookup rows by prefix length, then by their masked address. */
type PrefixIndex = Map<number, Map<number, number[]>>;

function indexLookup(lookup: Table, keyIndex: number): PrefixIndex {
  const index: PrefixIndex = new Map();
  const column = lookup.columns[keyIndex];
  const type = lookup.fields[keyIndex].type;
  for (let k = 0; k < lookup.length; k++) {
    const ip = parseIpv4(toKustoString(column.get(lookup.rowAt(k)), type));
    if (!ip) continue;
    let byValue = index.get(ip.prefix);
    if (!byValue) index.set(ip.prefix, (byValue = new Map()));
    const masked = maskIpv4(ip.value, ip.prefix);
    const rows = byValue.get(masked);
    if (rows) rows.push(k);
    else byValue.set(masked, [k]);
  }
  return index;
}

/** Lookup rows (logical indexes) whose range holds the address (or overlaps a source range written a.b.c.d/n). */
function matches(index: PrefixIndex, value: number, prefix: number): number[] {
  const out: number[] = [];
  for (const [bits, byValue] of index) {
    if (prefix >= bits) {
      const rows = byValue.get(maskIpv4(value, bits));
      if (rows) out.push(...rows);
      continue;
    }
    const wanted = maskIpv4(value, prefix);
    for (const [masked, rows] of byValue) if (maskIpv4(masked, prefix) === wanted) out.push(...rows);
  }
  return out.sort((a, b) => a - b);
}

/**
 * `T | evaluate ipv4_lookup(LookupTable, SourceIPv4Key, LookupKey [, return_unmatched])` (ipv4_lookup
 * plugin page): each row of T joined with the lookup rows whose IPv4 address or prefix (`a.b.c.d/n`)
 * holds its address, as the lookup operator joins (the columns of T, then the lookup table's); with
 * return_unmatched = true, rows that match nothing are kept with empty lookup columns.
 */
export function ipv4Lookup(op: SyntaxNode, input: Table, ctx: QueryContext): Table {
  const call = op.required('FunctionCall');
  const args = call.required('ArgumentList').list('Expressions');
  const lookup = ctx.tabular(args[0]);
  const sourceKey = input.indexOf(columnName(args[1]));
  const lookupKey = lookup.indexOf(columnName(args[2]));
  if (sourceKey < 0 || lookupKey < 0) return ctx.unsupported(call, 'ipv4_lookup keys other than columns');
  const flag = args[3] ? (args[3].kind === 'SimpleNamedExpression' ? args[3].required('Expression') : args[3]) : null;
  const returnUnmatched = flag ? compileScalar(flag, { ctx, table: null }).eval(-1) === true : false;

  const index = indexLookup(lookup, lookupKey);
  const rows = input.rowIndexes();
  const sourceColumn = input.columns[sourceKey];
  const sourceType = input.fields[sourceKey].type;
  const left: number[] = [];
  const right: number[] = []; // -1: no lookup row
  for (let k = 0; k < rows.length; k++) {
    ctx.budget.work(1);
    const ip = parseIpv4(toKustoString(sourceColumn.get(rows[k]), sourceType));
    const found = ip ? matches(index, ip.value, ip.prefix) : [];
    for (const r of found) {
      left.push(rows[k]);
      right.push(r);
    }
    if (found.length === 0 && returnUnmatched) {
      left.push(rows[k]);
      right.push(-1);
    }
    if (left.length > ctx.budget.maxRows) ctx.budget.rows(left.length, op);
  }
  ctx.budget.rows(left.length, op);
  const leftRows = Uint32Array.from(left);
  const lookupColumns = lookup.fields.map((f, c) => {
    const b = columnBuilder(f.type, right.length);
    const blank = emptyValue(f.type);
    for (const r of right) b.append(r < 0 ? blank : lookup.columns[c].get(lookup.rowAt(r)));
    return b.build();
  });
  return new Table(
    [...input.fields, ...lookup.fields],
    [...input.columns.map((c) => c.gather(leftRows)), ...lookupColumns],
    leftRows.length,
  );
}
