import { expandInlineCaseFlags } from './regex-flags';

/**
 * Kusto's string operators as plain predicates. Terms (for has/has_cs/has_any/has_all) are maximal
 * runs of letters and digits: `_`, spaces and punctuation delimit them, accented letters belong to them.
 */

const termCharCache = new Uint8Array(65536); // 0 unknown, 1 term char, 2 delimiter
const TERM_CHAR = /[\p{L}\p{N}]/u;

export function isTermChar(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  let v = termCharCache[code];
  if (v === 0) {
    v = TERM_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    termCharCache[code] = v;
  }
  return v === 1;
}

/**
 * True when `needle` occurs in `haystack` starting and ending on term boundaries (where the needle's
 * own edge is a term character). Case-sensitive: callers lower-case both sides for `has`.
 */
export function hasTermCs(haystack: string, needle: string): boolean {
  const len = needle.length;
  if (len === 0) return true;
  const checkStart = isTermChar(needle.charCodeAt(0));
  const checkEnd = isTermChar(needle.charCodeAt(len - 1));
  let from = 0;
  for (;;) {
    const idx = haystack.indexOf(needle, from);
    if (idx < 0) return false;
    const startOk = !checkStart || idx === 0 || !isTermChar(haystack.charCodeAt(idx - 1));
    const end = idx + len;
    const endOk = !checkEnd || end === haystack.length || !isTermChar(haystack.charCodeAt(end));
    if (startOk && endOk) return true;
    from = idx + 1;
  }
}

/** hasprefix / hassuffix: `needle` starts (or ends) at a term boundary somewhere in `haystack`. Case-sensitive. */
export function hasTermEdgeCs(haystack: string, needle: string, prefix: boolean): boolean {
  if (needle.length === 0) return true;
  for (let idx = haystack.indexOf(needle); idx >= 0; idx = haystack.indexOf(needle, idx + 1)) {
    const edge = prefix ? idx - 1 : idx + needle.length;
    if (edge < 0 || edge >= haystack.length || !isTermChar(haystack.charCodeAt(edge))) return true;
  }
  return false;
}

export function hasTerm(haystack: string, needle: string): boolean {
  return hasTermCs(haystack.toLowerCase(), needle.toLowerCase());
}

/** A string predicate with its right-hand side fixed. */
export type StringTest = (lhs: string) => boolean;

/** Binary string operators by syntax kind; each factory lower-cases the constant side once. */
export const STRING_OPERATORS: Readonly<Record<string, (rhs: string) => StringTest>> = {
  HasExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => hasTermCs(s.toLowerCase(), n);
  },
  NotHasExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !hasTermCs(s.toLowerCase(), n);
  },
  HasCsExpression: (rhs) => (s) => hasTermCs(s, rhs),
  NotHasCsExpression: (rhs) => (s) => !hasTermCs(s, rhs),
  ContainsExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => s.toLowerCase().includes(n);
  },
  NotContainsExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !s.toLowerCase().includes(n);
  },
  ContainsCsExpression: (rhs) => (s) => s.includes(rhs),
  NotContainsCsExpression: (rhs) => (s) => !s.includes(rhs),
  StartsWithExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => s.toLowerCase().startsWith(n);
  },
  NotStartsWithExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !s.toLowerCase().startsWith(n);
  },
  StartsWithCsExpression: (rhs) => (s) => s.startsWith(rhs),
  NotStartsWithCsExpression: (rhs) => (s) => !s.startsWith(rhs),
  EndsWithExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => s.toLowerCase().endsWith(n);
  },
  NotEndsWithExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !s.toLowerCase().endsWith(n);
  },
  EndsWithCsExpression: (rhs) => (s) => s.endsWith(rhs),
  NotEndsWithCsExpression: (rhs) => (s) => !s.endsWith(rhs),
  HasPrefixExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => hasTermEdgeCs(s.toLowerCase(), n, true);
  },
  NotHasPrefixExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !hasTermEdgeCs(s.toLowerCase(), n, true);
  },
  HasPrefixCsExpression: (rhs) => (s) => hasTermEdgeCs(s, rhs, true),
  NotHasPrefixCsExpression: (rhs) => (s) => !hasTermEdgeCs(s, rhs, true),
  HasSuffixExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => hasTermEdgeCs(s.toLowerCase(), n, false);
  },
  NotHasSuffixExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => !hasTermEdgeCs(s.toLowerCase(), n, false);
  },
  HasSuffixCsExpression: (rhs) => (s) => hasTermEdgeCs(s, rhs, false),
  NotHasSuffixCsExpression: (rhs) => (s) => !hasTermEdgeCs(s, rhs, false),
  EqualTildeExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => s.toLowerCase() === n;
  },
  BangTildeExpression: (rhs) => {
    const n = rhs.toLowerCase();
    return (s) => s.toLowerCase() !== n;
  },
};

/** Operators whose result is true when the left side is null (the negated forms). */
export const NEGATED_STRING_OPERATORS: ReadonlySet<string> = new Set(
  Object.keys(STRING_OPERATORS).filter((k) => k.startsWith('Not') || k === 'BangTildeExpression'),
);

/**
 * Builds a JavaScript RegExp from Kusto's RE2 syntax. Leading inline flags like `(?i)` become
 * RegExp flags, and (?i) further in becomes letter classes; other RE2-only syntax surfaces as an error
 * from the RegExp constructor.
 */
export function kustoRegex(pattern: string, extraFlags = ''): RegExp {
  let flags = extraFlags;
  let source = pattern;
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  return new RegExp(expandInlineCaseFlags(source), `${flags}u`);
}
