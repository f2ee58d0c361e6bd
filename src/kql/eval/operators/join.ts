import type { ColumnInfo, SyntaxNode } from '../../parser/syntax-node';
import type { Column } from '../../storage/column';
import { Table } from '../../storage/table';
import type { KustoType } from '../../types';
import type { Value } from '../../values/value';
import type { QueryBudget } from '../budget';
import type { QueryContext } from '../context';
import { gatherOrEmpty } from '../gather';
import { compositeKey } from '../row-keys';
import { parameterText } from './parameters';

/** One equality of an `on` clause: column names on the left and right inputs. */
interface KeyPair {
  left: string;
  right: string;
}

/** `on A, $left.B == $right.C` -> [{A, A}, {B, C}]. */
function keyPairs(clause: SyntaxNode, ctx: QueryContext): KeyPair[] {
  if (clause.kind !== 'JoinOnClause') return ctx.unsupported(clause);
  // `$left.A == $right.B and $left.C == $right.D` is two equalities, like a comma.
  const equalities = (e: SyntaxNode): SyntaxNode[] =>
    e.kind === 'AndExpression' ? [...equalities(e.required('Left')), ...equalities(e.required('Right'))] : e.kind === 'ParenthesizedExpression' ? equalities(e.required('Expression')) : [e];
  return clause.list('Expressions').flatMap(equalities).map((e) => {
    if (e.kind === 'NameReference') {
      const name = e.symbol?.name ?? e.text.trim();
      return { left: name, right: name };
    }
    if (e.kind === 'EqualExpression') {
      const sides = [e.required('Left'), e.required('Right')].map((side) => {
        if (side.kind !== 'PathExpression') return ctx.unsupported(side, 'a join condition other than $left.X == $right.Y');
        return { which: side.required('Expression').text.trim(), name: side.symbol?.name ?? side.required('Selector').text.trim() };
      });
      const left = sides.find((s) => s.which === '$left');
      const right = sides.find((s) => s.which === '$right');
      if (!left || !right) return ctx.unsupported(e, 'a join condition other than $left.X == $right.Y');
      return { left: left.name, right: right.name };
    }
    return ctx.unsupported(e, 'this join condition');
  });
}

function keyColumns(table: Table, names: string[], node: SyntaxNode, ctx: QueryContext): Column[] {
  return names.map((n) => {
    const i = table.indexOf(n);
    return i >= 0 ? table.columns[i] : ctx.unsupported(node, `a join key ${n} missing from its input`);
  });
}

/** Physical rows of `table` grouped by key (null keys match each other, as in Kusto). */
function indexByKey(table: Table, keys: Column[], budget: QueryBudget): Map<unknown, number[]> {
  const index = new Map<unknown, number[]>();
  const values = new Array<Value>(keys.length);
  for (let k = 0; k < table.length; k++) {
    budget.work(1);
    const i = table.rowAt(k);
    for (let c = 0; c < keys.length; c++) values[c] = keys[c].get(i);
    const key = compositeKey(values);
    const list = index.get(key);
    if (list) list.push(i);
    else index.set(key, [i]);
  }
  return index;
}

function keyAt(keys: Column[], i: number, values: Value[]): unknown {
  for (let c = 0; c < keys.length; c++) values[c] = keys[c].get(i);
  return compositeKey(values);
}

/** The join or lookup being evaluated: its flavor, and where it reports the rows it produces. */
interface Matching {
  kind: string;
  op: SyntaxNode;
  budget: QueryBudget;
}

/** Matched physical rows, pair by pair; -1 = no row on that side, which only outer joins produce. */
interface RowPairs {
  l: Int32Array;
  r: Int32Array;
  leftMissing: boolean;
  rightMissing: boolean;
}

/** A left row innerunique skips (its key was already joined), as opposed to one with no match. */
const SKIPPED = null;
const NO_MATCH: readonly number[] = [];

/**
 * Pairs of matching rows for the given join flavor. The pairs are counted first, against the row
 * budget, and only then written into arrays of their final size: a join that multiplies rows is
 * stopped before it holds more than the budget, and a large one never copies growing arrays (whose
 * copies and collections ran for a second between two checks of the time limit).
 */
function matchRows(m: Matching, left: Table, right: Table, leftKeys: Column[], rightKeys: Column[]): RowPairs {
  const { kind, op, budget } = m;
  const rightIndex = indexByKey(right, rightKeys, budget);
  const outerLeft = kind === 'leftouter' || kind === 'fullouter';
  const outerRight = kind === 'rightouter' || kind === 'fullouter';
  const values = new Array<Value>(leftKeys.length);
  const matchesOf = new Array<readonly number[] | typeof SKIPPED>(left.length);
  const matchedGroups = new Set<readonly number[]>();
  const seenLeftKeys = new Set<unknown>();
  let total = 0;
  for (let k = 0; k < left.length; k++) {
    budget.work(1);
    const key = keyAt(leftKeys, left.rowAt(k), values);
    // innerunique keeps only the first left row of each key before joining.
    if (kind === 'innerunique') {
      if (seenLeftKeys.has(key)) {
        matchesOf[k] = SKIPPED;
        continue;
      }
      seenLeftKeys.add(key);
    }
    const matches = rightIndex.get(key) ?? NO_MATCH;
    matchesOf[k] = matches;
    if (matches.length > 0) matchedGroups.add(matches);
    total += matches.length > 0 ? matches.length : outerLeft ? 1 : 0;
    budget.rows(total, op);
  }
  const unmatchedRight: number[] = [];
  if (outerRight) {
    for (let k = 0; k < right.length; k++) {
      budget.work(1);
      const j = right.rowAt(k);
      const group = rightIndex.get(keyAt(rightKeys, j, values));
      if (!group || !matchedGroups.has(group)) unmatchedRight.push(j);
    }
    total += unmatchedRight.length;
    budget.rows(total, op);
  }
  // Both sides' row numbers at once, so the memory check (and its message) counts what the join really takes.
  const { l, r } = budget.allocate(2 * total * Int32Array.BYTES_PER_ELEMENT, op, () => ({ l: new Int32Array(total), r: new Int32Array(total) }));
  const pairs: RowPairs = { l, r, leftMissing: unmatchedRight.length > 0, rightMissing: false };
  let n = 0;
  for (let k = 0; k < left.length; k++) {
    const matches = matchesOf[k];
    if (matches === SKIPPED) continue;
    const i = left.rowAt(k);
    budget.work(1 + matches.length);
    if (matches.length > 0) {
      for (let x = 0; x < matches.length; x++, n++) {
        pairs.l[n] = i;
        pairs.r[n] = matches[x];
      }
    } else if (outerLeft) {
      pairs.l[n] = i;
      pairs.r[n++] = -1;
      pairs.rightMissing = true;
    }
  }
  for (const j of unmatchedRight) {
    pairs.l[n] = -1;
    pairs.r[n++] = j;
  }
  return pairs;
}

/** leftsemi/leftanti (and right*): the rows of one side with / without a match on the other. */
function semiRows(probe: Table, probeKeys: Column[], other: Table, otherKeys: Column[], keepMatched: boolean, budget: QueryBudget): Uint32Array {
  const index = indexByKey(other, otherKeys, budget);
  const values = new Array<Value>(probeKeys.length);
  const out: number[] = [];
  for (let k = 0; k < probe.length; k++) {
    budget.work(1);
    const i = probe.rowAt(k);
    if (index.has(keyAt(probeKeys, i, values)) === keepMatched) out.push(i);
  }
  return Uint32Array.from(out);
}

/**
 * The output columns of the matched pairs. Over wide tables this is where a join's memory goes
 * (rows × columns), so time and memory are checked after each column.
 */
function combine(m: Matching, left: Table, right: Table, pairs: RowPairs, output: ColumnInfo[], dropRight: ReadonlySet<string>): Table {
  // A side with a row for every pair (always, for inner joins) is a plain typed gather.
  const gathered = (c: Column, rows: Int32Array, missing: boolean, type: KustoType): Column => {
    const column = missing ? gatherOrEmpty(c, rows, type) : c.gather(rows);
    m.budget.check();
    return column;
  };
  const columns: Column[] = [
    ...left.columns.map((c, k) => gathered(c, pairs.l, pairs.leftMissing, left.fields[k].type)),
    ...right.columns.flatMap((c, k) => (dropRight.has(right.fields[k].name) ? [] : [gathered(c, pairs.r, pairs.rightMissing, right.fields[k].type)])),
  ];
  return new Table(
    output.map((c) => ({ name: c.name, type: c.type })),
    columns,
    pairs.l.length,
  );
}

function checkWidth(table: Table, output: ColumnInfo[], op: SyntaxNode, ctx: QueryContext): Table {
  if (table.columns.length !== output.length) {
    return ctx.unsupported(op, `this ${op.kind} (it yields ${table.columns.length} columns, the analyser expects ${output.length})`);
  }
  return table;
}

const JOIN_KINDS = new Set([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftsemi',
  'leftanti',
  'leftantisemi',
  'anti',
  'rightsemi',
  'rightanti',
  'rightantisemi',
]);

/** join kind=... (default innerunique) (right) on keys. Output columns as the analyser names them. */
export function join(op: SyntaxNode, left: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const kind = (parameterText(op, 'kind') ?? 'innerunique').toLowerCase();
  if (!JOIN_KINDS.has(kind)) return ctx.unsupported(op, `join kind=${kind}`);
  const right = ctx.tabular(op.required('Expression'));
  const clause = op.child('ConditionClause');
  if (!clause) return ctx.unsupported(op, 'a join without an on clause');
  const pairs = keyPairs(clause, ctx);
  const leftKeys = keyColumns(left, pairs.map((p) => p.left), clause, ctx);
  const rightKeys = keyColumns(right, pairs.map((p) => p.right), clause, ctx);
  let result: Table;
  if (kind === 'leftsemi' || kind === 'leftanti' || kind === 'leftantisemi' || kind === 'anti') {
    result = left.withRows(semiRows(left, leftKeys, right, rightKeys, kind === 'leftsemi', ctx.budget));
  } else if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightantisemi') {
    result = right.withRows(semiRows(right, rightKeys, left, leftKeys, kind === 'rightsemi', ctx.budget));
  } else {
    const matching: Matching = { kind, op, budget: ctx.budget };
    result = combine(matching, left, right, matchRows(matching, left, right, leftKeys, rightKeys), output, new Set());
  }
  return checkWidth(result, output, op, ctx);
}

/** lookup kind=leftouter|inner (right) on keys: like join, without the right side's key columns. */
export function lookup(op: SyntaxNode, left: Table, ctx: QueryContext, output: ColumnInfo[]): Table {
  const kind = (parameterText(op, 'kind') ?? 'leftouter').toLowerCase();
  if (kind !== 'leftouter' && kind !== 'inner') return ctx.unsupported(op, `lookup kind=${kind}`);
  const right = ctx.tabular(op.required('Expression'));
  const clause = op.required('LookupClause');
  const pairs = keyPairs(clause, ctx);
  const leftKeys = keyColumns(left, pairs.map((p) => p.left), clause, ctx);
  const rightKeys = keyColumns(right, pairs.map((p) => p.right), clause, ctx);
  const matching: Matching = { kind, op, budget: ctx.budget };
  const matched = matchRows(matching, left, right, leftKeys, rightKeys);
  return checkWidth(combine(matching, left, right, matched, output, new Set(pairs.map((p) => p.right))), output, op, ctx);
}
