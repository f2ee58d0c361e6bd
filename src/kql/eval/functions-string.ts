import { createHash } from 'node:crypto';
import { toKustoString } from '../values/convert';
import type { Value } from '../values/value';
import { derived } from './compiled';
import { type FunctionImpl, num, str } from './function-call';
import { buildRegex } from './scalar-helpers';
import { parseCommandLine, parseCsvRecord } from './text-parsers';

/** A cache of RegExps for a pattern argument (compiled once when the pattern is constant). */
function regexCache(call: Parameters<FunctionImpl>[0], argIndex: number, flags = ''): (pattern: string) => RegExp {
  const cache = new Map<string, RegExp>();
  return (pattern) => {
    let re = cache.get(pattern);
    if (!re) cache.set(pattern, (re = buildRegex(pattern, call.argNodes[argIndex], call.scope, flags)));
    return re;
  };
}

/** Kusto rewrite text: `\1` is group 1 (JavaScript's `$1`); a literal `$` stays literal. */
function rewriteText(rewrite: string): string {
  return rewrite.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1');
}

/** HttpUtility.UrlEncode, which Kusto's url_encode follows: space is '+', escapes are lower-case hex. */
function urlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/%20/g, '+')
    .replace(/[~']/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

function urlDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Bytes(s: string): Buffer | null {
  const t = s.trim();
  if (t.length % 4 === 1 || !BASE64.test(t)) return null;
  return Buffer.from(t, 'base64');
}

/** Occurrences of `needle` in `text`, overlapping ones included (countof's "normal" kind). */
function countOverlapping(text: string, needle: string): number {
  if (needle === '') return 0;
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) n++;
  return n;
}

function hashHex(algorithm: string): FunctionImpl {
  return ({ args }) => {
    const s = str(args[0]);
    const t = args[0].type;
    return derived('string', args, (i) => {
      const v = args[0].eval(i);
      if (v === null) return '';
      return createHash(algorithm)
        .update(t === 'string' ? s(i) : toKustoString(v, t), 'utf8')
        .digest('hex');
    });
  };
}

function trimmer(start: boolean, end: boolean): FunctionImpl {
  return (call) => {
    const { args } = call;
    const pattern = str(args[0]);
    const source = str(args[1]);
    const cache = new Map<string, RegExp[]>();
    const regexes = (p: string): RegExp[] => {
      let list = cache.get(p);
      if (!list) {
        const both = buildRegex(`(?:${p})`, call.argNodes[0], call.scope);
        list = [new RegExp(`^(?:${both.source})+`, both.flags), new RegExp(`(?:${both.source})+$`, both.flags)];
        cache.set(p, list);
      }
      return list;
    };
    return derived('string', args, (i) => {
      const [head, tail] = regexes(pattern(i));
      let s = source(i);
      if (start) s = s.replace(head, '');
      if (end) s = s.replace(tail, '');
      return s;
    });
  };
}

/** String functions beyond the basic ones in functions.ts, each as its Kusto documentation page describes it. */
export const STRING_FUNCTIONS: Record<string, FunctionImpl> = {
  indexof: ({ args }) => {
    const [source, lookup, startArg, lengthArg, occurrenceArg] = args;
    const s = str(source);
    const l = str(lookup);
    const startOf = num(startArg);
    const lengthOf = num(lengthArg);
    const occurrenceOf = num(occurrenceArg);
    return derived('long', args, (i) => {
      const text = s(i);
      const needle = l(i);
      let start = startArg ? startOf(i) : 0;
      const length = lengthArg ? lengthOf(i) : -1;
      const occurrence = occurrenceArg ? occurrenceOf(i) : 1;
      if (start === null || length === null || occurrence === null || length < -1 || occurrence <= 0) return null;
      if (start < 0) start = Math.max(0, text.length + start);
      if (start > text.length) return -1;
      // Each occurrence is sought within `length` characters of where the search resumes (the page's idx8 is 9).
      let from = start;
      for (let n = 1; ; n++) {
        const end = length === -1 ? text.length : Math.min(text.length, from + length);
        const at = text.indexOf(needle, from);
        if (at < 0 || at + needle.length > end) return -1;
        if (n === occurrence) return at;
        from = at + 1;
      }
    });
  },
  replace_regex: (call) => {
    const { args } = call;
    const [source, pattern, rewrite] = args.map(str);
    const regex = regexCache(call, 1, 'g');
    return derived('string', args, (i) => source(i).replace(regex(pattern(i)), rewriteText(rewrite(i))));
  },
  // Deprecated form with the regex first: replace(regex, rewrite, text).
  replace: (call) => {
    const { args } = call;
    const [pattern, rewrite, source] = args.map(str);
    const regex = regexCache(call, 0, 'g');
    return derived('string', args, (i) => source(i).replace(regex(pattern(i)), rewriteText(rewrite(i))));
  },
  trim: trimmer(true, true),
  trim_start: trimmer(true, false),
  trim_end: trimmer(false, true),
  string_size: ({ args }) => {
    const s = str(args[0]);
    return derived('long', args, (i) => Buffer.byteLength(s(i), 'utf8'));
  },
  countof: (call) => {
    const { args } = call;
    const [source, search] = args.map(str);
    const kind = args[2] ? str(args[2]) : () => 'normal';
    const regex = regexCache(call, 1, 'g');
    return derived('long', args, (i) => {
      const text = source(i);
      const needle = search(i);
      if (kind(i) !== 'regex') return countOverlapping(text, needle);
      if (needle === '') return 0;
      return text.match(regex(needle))?.length ?? 0;
    });
  },
  strcat_array: ({ args }) => {
    const delimiter = str(args[1]);
    return derived('string', args, (i) => {
      const v = args[0].eval(i);
      if (!Array.isArray(v)) return '';
      return v.map((item) => toKustoString(item as Value, 'dynamic')).join(delimiter(i));
    });
  },
  extract_all: (call) => {
    const { args } = call;
    const regexArg = args[0];
    const groupsArg = args.length === 3 ? args[1] : null;
    const source = str(args[args.length - 1]);
    const pattern = str(regexArg);
    const regex = regexCache(call, 0, 'g');
    return derived('dynamic', args, (i) => {
      const text = source(i);
      const re = regex(pattern(i));
      const wanted = groupsArg ? (groupsArg.eval(i) as unknown[] | null) : null;
      const out: unknown[] = [];
      for (const m of text.matchAll(re)) {
        if (m[0] === '' && m.index === text.length) break;
        const groups = wanted ? wanted.map((g) => m[Number(g)] ?? '') : m.length > 1 ? m.slice(1).map((g) => g ?? '') : [m[0]];
        out.push(groups.length === 1 && !wanted ? groups[0] : groups);
      }
      return out.length === 0 ? null : out;
    });
  },
  url_encode: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => urlEncode(s(i)));
  },
  url_decode: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => urlDecode(s(i)) ?? '');
  },
  base64_encode_tostring: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => Buffer.from(s(i), 'utf8').toString('base64'));
  },
  base64_decode_tostring: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => {
      const bytes = base64Bytes(s(i));
      if (!bytes) return '';
      const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      return text.includes('\uFFFD') ? '' : text; // not UTF-8: Kusto gives null (an empty string)
    });
  },
  base64_decode_toarray: ({ args }) => {
    const s = str(args[0]);
    return derived('dynamic', args, (i) => {
      const bytes = base64Bytes(s(i));
      return bytes ? Array.from(bytes) : null;
    });
  },
  base64_encode_fromarray: ({ args }) =>
    derived('string', args, (i) => {
      const v = args[0].eval(i);
      return Array.isArray(v) ? Buffer.from(v.map((b) => Number(b) & 255)).toString('base64') : '';
    }),
  parse_csv: ({ args }) => {
    const s = str(args[0]);
    return derived('dynamic', args, (i) => parseCsvRecord(s(i)));
  },
  parse_command_line: ({ args }) => {
    const s = str(args[0]);
    return derived('dynamic', args, (i) => parseCommandLine(s(i)));
  },
  hash_sha256: hashHex('sha256'),
  hash_sha1: hashHex('sha1'),
  hash_md5: hashHex('md5'),
  reverse: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => Array.from(s(i)).reverse().join(''));
  },
  strrep: ({ args }) => {
    const s = str(args[0]);
    const n = num(args[1]);
    const d = args[2] ? str(args[2]) : () => '';
    return derived('string', args, (i) => {
      const times = Math.max(0, Math.min(1024, Math.trunc(n(i) ?? 0)));
      return Array.from({ length: times }, () => s(i)).join(d(i));
    });
  },
  strcmp: ({ args }) => {
    const [a, b] = args.map(str);
    return derived('int', args, (i) => (a(i) < b(i) ? -1 : a(i) > b(i) ? 1 : 0));
  },
  tohex: ({ args }) => {
    const n = num(args[0]);
    const width = num(args[1]);
    return derived('string', args, (i) => {
      const v = n(i);
      if (v === null) return '';
      const hex = (v < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : BigInt(Math.trunc(v))).toString(16);
      return hex.padStart(Math.max(0, width(i) ?? 0), '0');
    });
  },
};
