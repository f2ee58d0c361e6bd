import type { SyntaxNode } from '../parser/syntax-node';
import type { KustoType } from '../types';
import { toBool, toDateTime, toKustoString, toNumber } from '../values/convert';
import { TICKS_0001_TO_1970, TICKS_PER_DAY } from '../values/time';
import { toDynamic, type Value } from '../values/value';
import { type Compiled, columnRead, constantOf, derived, type Scope } from './compiled';
import { type FunctionImpl, str } from './function-call';
import { columnIfExists } from './column-ifexists';
import { CODEPOINT_FUNCTIONS } from './functions-codepoints';
import { DYNAMIC_FUNCTIONS } from './functions-dynamic';
import { HASH_FUNCTIONS } from './functions-hash';
import { IP_FUNCTIONS } from './functions-ip';
import { rangeFunction } from './functions-range';
import { STRING_FUNCTIONS } from './functions-string';
import { TIME_FUNCTIONS } from './functions-time';
import { WINDOW_FUNCTIONS } from './functions-window';
import { SERIES_FUNCTIONS } from './series/series-functions';
import { parseUrl } from './parse-url';
import { buildRegex } from './scalar-helpers';
import { compileUserFunctionCall, userFunction } from './user-functions';

type Compile = (node: SyntaxNode, scope: Scope) => Compiled;

/** Names of aggregation functions: only valid inside summarize. */
export const AGGREGATE_FUNCTIONS = new Set([
  'count',
  'countif',
  'dcount',
  'dcountif',
  'min',
  'max',
  'sum',
  'sumif',
  'avg',
  'avgif',
  'make_set',
  'make_set_if',
  'make_list',
  'make_list_if',
  'makeset',
  'makelist',
  'arg_max',
  'arg_min',
  'take_any',
  'any',
  'minif',
  'maxif',
  'argmax',
  'argmin',
  'count_distinct',
  'count_distinctif',
]);

/** bin() for numbers, timespans and datetimes; datetimes align to 0001-01-01 as .NET ticks do. */
function binValue(v: Value, size: Value, type: KustoType): Value {
  if (v === null || size === null) return null;
  if (typeof v === 'bigint') {
    const span = typeof size === 'bigint' ? size : BigInt(Math.trunc(size as number));
    if (span <= 0n) return null;
    const origin = type === 'datetime' ? TICKS_0001_TO_1970 : 0n;
    const t = v + origin;
    let q = t / span;
    if (t % span !== 0n && t < 0n) q -= 1n;
    return q * span - origin;
  }
  const s = size as number;
  if (s <= 0) return null;
  return Math.floor((v as number) / s) * s;
}

const FUNCTIONS: Record<string, FunctionImpl> = {
  strcat: ({ args, type }) => {
    const parts = args.map(str);
    return derived(type, args, (i) => parts.map((p) => p(i)).join(''));
  },
  tolower: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => s(i).toLowerCase());
  },
  toupper: ({ args }) => {
    const s = str(args[0]);
    return derived('string', args, (i) => s(i).toUpperCase());
  },
  strlen: ({ args }) => {
    const s = str(args[0]);
    return derived('long', args, (i) => s(i).length);
  },
  substring: ({ args }) => {
    const [source, start, length] = args;
    const s = str(source);
    return derived('string', args, (i) => {
      const text = s(i);
      const at = Number(start.eval(i) ?? 0);
      // A negative start counts from the end (documented: substring("123456", -2, 2) is "56").
      const from = Math.max(0, at < 0 ? text.length + at : at);
      const n = length ? length.eval(i) : null;
      return n === null ? text.slice(from) : text.slice(from, from + Math.max(0, Number(n)));
    });
  },
  split: ({ args }) => {
    const s = str(args[0]);
    const d = str(args[1]);
    const index = args[2];
    return derived('dynamic', args, (i) => {
      const parts = s(i).split(d(i));
      if (!index) return parts;
      const k = index.eval(i);
      if (k === null) return parts;
      const at = Number(k);
      return at >= 0 && at < parts.length ? [parts[at]] : [];
    });
  },
  replace_string: ({ args }) => {
    const [text, lookup, rewrite] = args.map(str);
    return derived('string', args, (i) => {
      const find = lookup(i);
      return find === '' ? text(i) : text(i).split(find).join(rewrite(i));
    });
  },
  extract: ({ args, argNodes, scope, type }) => {
    const [pattern, group, source] = args;
    const s = str(source);
    const regexes = new Map<string, RegExp>();
    const regexOf = (p: string): RegExp => {
      let re = regexes.get(p);
      if (!re) regexes.set(p, (re = buildRegex(p, argNodes[0], scope)));
      return re;
    };
    if (pattern.constant) regexOf(String(pattern.eval(-1) ?? ''));
    return derived(type, args.slice(0, 3), (i) => {
      const m = regexOf(String(pattern.eval(i) ?? '')).exec(s(i));
      const g = Number(group.eval(i) ?? 0);
      const hit = m && m[g] !== undefined ? m[g] : null;
      if (type === 'string') return hit ?? '';
      if (hit === null) return null;
      return convertText(hit, type);
    });
  },
  parse_url: ({ args }) => {
    const s = str(args[0]);
    return derived('dynamic', args, (i) => parseUrl(s(i)));
  },
  iff: ({ args, type }) => {
    const [cond, then, otherwise] = args;
    return derived(type, args, (i) => (cond.eval(i) === true ? then.eval(i) : otherwise.eval(i)));
  },
  case: ({ args, type }) => {
    const last = args[args.length - 1];
    return derived(type, args, (i) => {
      for (let k = 0; k + 1 < args.length; k += 2) if (args[k].eval(i) === true) return args[k + 1].eval(i);
      return last.eval(i);
    });
  },
  coalesce: ({ args, type }) =>
    derived(type, args, (i) => {
      for (const a of args) {
        const v = a.eval(i);
        if (v !== null && v !== '') return v;
      }
      return type === 'string' ? '' : null;
    }),
  isempty: ({ args }) => derived('bool', args, (i) => isEmpty(args[0].eval(i))),
  isnotempty: ({ args }) => derived('bool', args, (i) => !isEmpty(args[0].eval(i))),
  isnull: ({ args }) => derived('bool', args, (i) => args[0].eval(i) === null),
  isnotnull: ({ args }) => derived('bool', args, (i) => args[0].eval(i) !== null),
  not: ({ args }) =>
    derived('bool', args, (i) => {
      const v = args[0].eval(i);
      return v === null ? null : !v;
    }),
  now: ({ args, scope }) => {
    const now = scope.ctx.nowTicks;
    if (args.length === 0) return constantOf('datetime', now);
    return derived('datetime', args, (i) => {
      const offset = args[0].eval(i);
      return offset === null ? null : now + (offset as bigint);
    });
  },
  ago: ({ args, scope }) => {
    const now = scope.ctx.nowTicks;
    return derived('datetime', args, (i) => {
      const span = args[0].eval(i);
      return span === null ? null : now - (span as bigint);
    });
  },
  todatetime: ({ args }) => derived('datetime', args, (i) => toDateTime(args[0].eval(i), args[0].type)),
  tostring: ({ args }) => derived('string', args, (i) => toKustoString(args[0].eval(i), args[0].type)),
  toint: ({ args }) => derived('int', args, (i) => toNumber(args[0].eval(i), args[0].type, true)),
  tolong: ({ args }) => derived('long', args, (i) => toNumber(args[0].eval(i), args[0].type, true)),
  toreal: ({ args }) => derived('real', args, (i) => toNumber(args[0].eval(i), args[0].type, false)),
  tobool: ({ args }) => derived('bool', args, (i) => toBool(args[0].eval(i))),
  startofday: ({ args }) => {
    const [date, offset] = args;
    return derived('datetime', args, (i) => {
      const t = date.eval(i);
      if (t === null) return null;
      const day = binValue(t, TICKS_PER_DAY, 'datetime') as bigint;
      const shift = offset ? offset.eval(i) : 0;
      return shift === null ? null : day + BigInt(Math.trunc(Number(shift))) * TICKS_PER_DAY;
    });
  },
  bin: ({ args, type }) => {
    const [value, size] = args;
    return derived(type, args, (i) => binValue(value.eval(i), size.eval(i), value.type));
  },
  parse_json: ({ args }) => {
    const source = args[0];
    return derived('dynamic', args, (i) => {
      const v = source.eval(i);
      if (source.type === 'dynamic') return v; // dynamic values are used as they are
      if (typeof v !== 'string') return toDynamic(v, source.type) as Value;
      if (v.trim() === '') return null; // documented: isnull(parse_json("")) is true
      try {
        return JSON.parse(v) as Value;
      } catch {
        return v; // not JSON: a dynamic holding the original string, as documented
      }
    });
  },
  array_length: ({ args }) =>
    derived('long', args, (i) => {
      const v = args[0].eval(i);
      return Array.isArray(v) ? v.length : null;
    }),
  pack_array: ({ args }) => derived('dynamic', args, (i) => args.map((a) => toDynamic(a.eval(i), a.type))),
  // The row's ingestion time: locally the row's TimeGenerated (or Timestamp) column.
  ingestion_time: ({ scope }) => {
    const table = scope.table;
    const index = table ? table.indexOf('TimeGenerated') : -1;
    const at = index >= 0 || !table ? index : table.indexOf('Timestamp');
    if (!table || at < 0 || table.fields[at].type !== 'datetime') return constantOf('datetime', null);
    const column = table.columns[at];
    return columnRead('datetime', at, (i) => column.get(i), column);
  },
  ...STRING_FUNCTIONS,
  ...IP_FUNCTIONS,
  ...TIME_FUNCTIONS,
  ...DYNAMIC_FUNCTIONS,
  ...WINDOW_FUNCTIONS,
  ...HASH_FUNCTIONS,
  ...CODEPOINT_FUNCTIONS,
  range: rangeFunction,
  column_ifexists: columnIfExists,
  ...SERIES_FUNCTIONS,
};

// Documented synonyms.
FUNCTIONS.iif = FUNCTIONS.iff;
FUNCTIONS.floor = FUNCTIONS.bin;
FUNCTIONS.todouble = FUNCTIONS.toreal;
FUNCTIONS.toboolean = FUNCTIONS.tobool;
FUNCTIONS.todynamic = FUNCTIONS.parse_json;
FUNCTIONS.parsejson = FUNCTIONS.parse_json;
FUNCTIONS.base64_decodestring = FUNCTIONS.base64_decode_tostring;
FUNCTIONS.base64_encodestring = FUNCTIONS.base64_encode_tostring;
FUNCTIONS.columnifexists = FUNCTIONS.column_ifexists;

/** True for the built-in scalar functions the engine evaluates. */
export function isScalarFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

function isEmpty(v: Value): boolean {
  return v === null || v === '';
}

function convertText(text: string, type: KustoType): Value {
  switch (type) {
    case 'long':
    case 'int':
      return toNumber(text, 'string', true);
    case 'real':
      return toNumber(text, 'string', false);
    case 'datetime':
      return toDateTime(text, 'string');
    case 'bool':
      return toBool(text);
    default:
      return text;
  }
}

/** Compiles a call of a built-in scalar function; unknown functions are reported as unsupported. */
export function compileFunctionCall(node: SyntaxNode, scope: Scope, compile: Compile): Compiled {
  const nameNode = node.required('Name');
  const name = nameNode.symbol?.name ?? nameNode.text;
  const declared = userFunction(node, scope.ctx);
  if (declared) return compileUserFunctionCall(declared, node, scope, compile);
  const aggregateColumn = scope.aggregates?.get(node.start);
  if (aggregateColumn !== undefined && scope.table) {
    const column = scope.table.columns[aggregateColumn];
    return columnRead(column.type, aggregateColumn, (i) => column.get(i), column);
  }
  if (AGGREGATE_FUNCTIONS.has(name)) return scope.ctx.unsupported(node, `the aggregate ${name}() outside summarize`);
  const impl = FUNCTIONS[name];
  if (!impl) return scope.ctx.unsupported(node, `the function ${name}()`);
  const argNodes = node.required('ArgumentList').list('Expressions');
  // extract()'s optional 4th argument is a type (typeof(long)); the call's result type carries it.
  const compiled = argNodes.filter((a) => a.kind !== 'TypeOfLiteralExpression').map((a) => compile(a, scope));
  return impl({ node, argNodes, args: compiled, type: node.scalarType ?? 'dynamic', scope });
}
