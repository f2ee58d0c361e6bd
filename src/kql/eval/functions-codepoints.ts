import type { Value } from '../values/value';
import { derived } from './compiled';
import { type FunctionImpl, str } from './function-call';

/** A Unicode scalar value String.fromCodePoint accepts and .NET's char.ConvertFromUtf32 does too (no surrogates). */
function isCodePoint(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff);
}

/**
 * unicode_codepoints_to_string(values...) (deprecated alias make_string): each argument a number or a
 * dynamic array of numbers. Any value that is not a code point gives null, which for a string is "".
 */
const codepointsToString: FunctionImpl = ({ args }) =>
  derived('string', args, (i) => {
    const points: Value[] = [];
    for (const a of args) {
      const v = a.eval(i);
      if (Array.isArray(v)) points.push(...(v as Value[]));
      else points.push(v);
    }
    let out = '';
    for (const p of points) {
      const n = typeof p === 'number' ? p : typeof p === 'bigint' ? Number(p) : NaN;
      if (!isCodePoint(n)) return '';
      out += String.fromCodePoint(n);
    }
    return out;
  });

/** unicode_codepoints_from_string(s) (deprecated alias to_utf8): the code points of s, as a dynamic array. */
const codepointsFromString: FunctionImpl = ({ args }) => {
  const s = str(args[0]);
  return derived('dynamic', args, (i) => Array.from(s(i), (c) => c.codePointAt(0) ?? 0));
};

export const CODEPOINT_FUNCTIONS: Record<string, FunctionImpl> = {
  unicode_codepoints_to_string: codepointsToString,
  make_string: codepointsToString,
  unicode_codepoints_from_string: codepointsFromString,
  to_utf8: codepointsFromString,
};
