import { kustoRuntime } from './parser/bridge-runtime';
import { SyntaxNode } from './parser/syntax-node';
import { parseTimespanTicks } from './values/time';

/**
 * Where a query writes its own time window, found in the official parser's syntax tree (never by
 * searching the text): the lookback literal of `ago(7d)` / `now(-7d)`, a top-level `let lookback = 7d;`
 * whose name is used as `ago(lookback)`, and the Sentinel hunting page's `'{{StartTimeISO}}'` /
 * `'{{EndTimeISO}}'` string tokens. A caller rewrites exactly these spans.
 */

export interface TimeWindowSlot {
  /** Offsets of the token to replace (the literal itself, not the call around it). */
  start: number;
  end: number;
  /** `lookback`: a timespan back from now; `start` / `end`: an ISO datetime string of the window's edges. */
  role: 'lookback' | 'start' | 'end';
  /** The token as written (`7d`, `'{{StartTimeISO}}'`). */
  text: string;
}

export interface QueryTimeWindow {
  /**
   * The spans to rewrite. Lookback literals are included only when every lookback the query writes has
   * the same value (one recognisable window); a query with a 14-day baseline and a 1-day detection
   * window keeps both as written.
   */
  slots: TimeWindowSlot[];
  /** The distinct lookbacks the query writes, as written (`['14d', '1d']`); [] when it writes none. */
  lookbacks: string[];
  /** The one recognised lookback in milliseconds, when there is exactly one. */
  lookbackMs?: number;
}

const ISO_TOKENS: Readonly<Record<string, 'start' | 'end'>> = { '{{StartTimeISO}}': 'start', '{{EndTimeISO}}': 'end' };

export function findQueryTimeWindow(kql: string): QueryTimeWindow {
  const root = SyntaxNode.wrap(kustoRuntime().language.KustoCode.Parse(kql).Syntax, kql);
  const lookbackSlots: TimeWindowSlot[] = [];
  const isoSlots: TimeWindowSlot[] = [];
  const namesUsedAsLookback = new Set<string>();

  const pending: SyntaxNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'FunctionCallExpression') {
      const literal = lookbackArgument(node);
      if (literal?.kind === 'TimespanLiteralExpression') lookbackSlots.push(slotOf(literal, 'lookback'));
      else if (literal?.kind === 'NameReference') namesUsedAsLookback.add(literal.text.trim());
    } else if (node.kind === 'StringLiteralExpression') {
      const text = node.text.trim();
      const role = ISO_TOKENS[text.slice(1, -1)];
      if (role && /^(['"]).*\1$/s.test(text)) isoSlots.push(slotOf(node, role));
    }
    if (!node.isToken) pending.push(...node.children());
  }

  for (const statement of root.list('Statements')) {
    if (statement.kind !== 'LetStatement') continue;
    const name = statement.child('Name')?.text.trim();
    const value = statement.child('Expression');
    if (name && namesUsedAsLookback.has(name) && value?.kind === 'TimespanLiteralExpression') lookbackSlots.push(slotOf(value, 'lookback'));
  }

  const lookbacks = [...new Set(lookbackSlots.map((slot) => slot.text))];
  const ticks = lookbacks.length === 1 ? parseTimespanTicks(lookbacks[0]) : null;
  const recognised = ticks !== null && ticks > 0n;
  const slots = [...(recognised ? lookbackSlots : []), ...isoSlots].sort((a, b) => a.start - b.start);
  return { slots, lookbacks, ...(recognised ? { lookbackMs: Number(ticks / 10_000n) } : {}) };
}

/** The single argument of `ago(x)`, or the `x` of `now(-x)`; null for any other call. */
function lookbackArgument(call: SyntaxNode): SyntaxNode | null {
  const name = call.child('Name')?.text.trim();
  const args = call.child('ArgumentList')?.list('Expressions') ?? [];
  if (args.length !== 1) return null;
  if (name === 'ago') return args[0];
  if (name === 'now' && args[0].kind === 'UnaryMinusExpression') return args[0].child('Expression');
  return null;
}

/** The span of the node's single token (a literal expression wraps exactly one). */
function slotOf(node: SyntaxNode, role: TimeWindowSlot['role']): TimeWindowSlot {
  return { start: node.start, end: node.end, role, text: node.text.trim() };
}
