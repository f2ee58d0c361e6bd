import { toKustoString } from '../values/convert';
import { keyOf, toDynamic, type Value } from '../values/value';
import { derived } from './compiled';
import { type FunctionImpl, num, str, volatile } from './function-call';
import { randomUUID } from 'node:crypto';

function arrayArg(v: Value): unknown[] | null {
  return Array.isArray(v) ? v : null;
}

/** A JSONPath of the forms Kusto documents for extract_json: $.a.b, $['a'], $.a[0], $[1]. */
function jsonPathGet(root: unknown, path: string): unknown {
  const p = path.trim();
  if (!p.startsWith('$')) return undefined;
  let current: unknown = root;
  const step = /\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(-?\d+)\s*\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < p.length) {
    const m = step.exec(p);
    if (!m) return undefined;
    if (current === null || typeof current !== 'object') return undefined;
    if (m[4] !== undefined) {
      if (!Array.isArray(current)) return undefined;
      const k = Number(m[4]);
      current = current[k < 0 ? current.length + k : k];
    } else {
      if (Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[m[1] ?? m[2] ?? m[3]];
    }
  }
  return current;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function packPairs(args: Parameters<FunctionImpl>[0]['args']): ReturnType<FunctionImpl> {
  return derived('dynamic', args, (i) => {
    const out: Record<string, unknown> = {};
    for (let k = 0; k + 1 < args.length; k += 2) {
      out[toKustoString(args[k].eval(i), args[k].type)] = toDynamic(args[k + 1].eval(i), args[k + 1].type);
    }
    return out;
  });
}

function setOp(combine: (sets: unknown[][]) => unknown[]): FunctionImpl {
  return ({ args }) =>
    derived('dynamic', args, (i) => {
      const arrays = args.map((a) => arrayArg(a.eval(i)));
      if (arrays.some((a) => a === null)) return null;
      return combine(arrays as unknown[][]);
    });
}

function distinctValues(values: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    const key = keyOf(v as Value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function keySet(values: unknown[]): Set<unknown> {
  return new Set(values.map((v) => keyOf(v as Value)));
}

function bitwise(op: (a: bigint, b: bigint) => bigint): FunctionImpl {
  return ({ args }) => {
    const [a, b] = args.map((x) => num(x));
    return derived('long', args, (i) => {
      const x = a(i);
      const y = b(i);
      if (x === null || y === null) return null;
      return Number(BigInt.asIntN(64, op(BigInt(Math.trunc(x)), BigInt(Math.trunc(y)))));
    });
  };
}

function math(fn: (x: number) => number): FunctionImpl {
  return ({ args }) => {
    const n = num(args[0]);
    return derived('real', args, (i) => {
      const v = n(i);
      return v === null ? null : fn(v);
    });
  };
}

/** Dynamic values, arrays, sets, bags, JSON, numbers and random values. */
export const DYNAMIC_FUNCTIONS: Record<string, FunctionImpl> = {
  extract_json: ({ args, type }) => {
    const path = str(args[0]);
    const source = str(args[1]);
    return derived(type, args.slice(0, 2), (i) => {
      const parsed = parseJsonText(source(i));
      const v = parsed === undefined ? undefined : jsonPathGet(parsed, path(i));
      if (v === undefined || v === null) return type === 'string' ? '' : null;
      if (type === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
      if (type === 'dynamic') return v as Value;
      if (type === 'long' || type === 'int' || type === 'real') {
        const n = Number(v);
        return Number.isNaN(n) ? null : type === 'real' ? n : Math.trunc(n);
      }
      if (type === 'bool') return typeof v === 'boolean' ? v : String(v).toLowerCase() === 'true';
      return v as Value;
    });
  },
  pack: ({ args }) => packPairs(args),
  bag_keys: ({ args }) =>
    derived('dynamic', args, (i) => {
      const v = args[0].eval(i);
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : null;
    }),
  bag_merge: ({ args }) =>
    derived('dynamic', args, (i) => {
      const out: Record<string, unknown> = {};
      for (const a of args) {
        const v = a.eval(i);
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (!(k in out)) out[k] = x;
      }
      return out;
    }),
  bag_has_key: ({ args }) => {
    const key = str(args[1]);
    return derived('bool', args, (i) => {
      const v = args[0].eval(i);
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? key(i) in v : false;
    });
  },
  array_concat: ({ args }) =>
    derived('dynamic', args, (i) => {
      const arrays = args.map((a) => arrayArg(a.eval(i)));
      return arrays.some((a) => a === null) ? null : (arrays as unknown[][]).flat(1);
    }),
  array_slice: ({ args }) => {
    const [startOf, endOf] = [num(args[1]), num(args[2])];
    return derived('dynamic', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      const s = startOf(i);
      const e = endOf(i);
      if (!a || s === null || e === null) return null;
      const from = s < 0 ? a.length + s : s;
      const to = e < 0 ? a.length + e : e;
      return a.slice(Math.max(0, from), Math.max(0, to + 1));
    });
  },
  array_index_of: ({ args }) => {
    const [startOf, lengthOf, occurrenceOf] = [num(args[2]), num(args[3]), num(args[4])];
    return derived('long', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      if (!a) return null;
      const wanted = keyOf(toDynamic(args[1].eval(i), args[1].type) as Value);
      let start = args[2] ? startOf(i) : 0;
      const length = args[3] ? lengthOf(i) : -1;
      const occurrence = args[4] ? occurrenceOf(i) : 1;
      if (start === null || length === null || occurrence === null || occurrence <= 0) return null;
      if (start < 0) start = Math.max(0, a.length + start);
      const end = length < 0 ? a.length : Math.min(a.length, start + length);
      let seen = 0;
      for (let k = start; k < end; k++) if (keyOf(a[k] as Value) === wanted && ++seen === occurrence) return k;
      return -1;
    });
  },
  array_reverse: ({ args }) =>
    derived('dynamic', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      return a ? [...a].reverse() : null;
    }),
  array_sum: ({ args }) =>
    derived('real', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      return a ? a.reduce<number>((s, v) => s + Number(v ?? 0), 0) : null;
    }),
  array_sort_asc: ({ args }) =>
    derived('dynamic', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      return a ? [...a].sort((x, y) => (x === null ? 1 : y === null ? -1 : (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0)) : null;
    }),
  array_sort_desc: ({ args }) =>
    derived('dynamic', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      return a ? [...a].sort((x, y) => (x === null ? 1 : y === null ? -1 : (x as number) > (y as number) ? -1 : (x as number) < (y as number) ? 1 : 0)) : null;
    }),
  set_union: setOp((sets) => distinctValues(sets.flat(1))),
  set_intersect: setOp((sets) => {
    const others = sets.slice(1).map(keySet);
    return distinctValues(sets[0]).filter((v) => others.every((s) => s.has(keyOf(v as Value))));
  }),
  set_difference: setOp((sets) => {
    const others = sets.slice(1).map(keySet);
    return distinctValues(sets[0]).filter((v) => !others.some((s) => s.has(keyOf(v as Value))));
  }),
  set_has_element: ({ args }) =>
    derived('bool', args, (i) => {
      const a = arrayArg(args[0].eval(i));
      if (!a) return null;
      const wanted = keyOf(toDynamic(args[1].eval(i), args[1].type) as Value);
      return a.some((v) => keyOf(v as Value) === wanted);
    }),
  binary_and: bitwise((a, b) => a & b),
  binary_or: bitwise((a, b) => a | b),
  binary_xor: bitwise((a, b) => a ^ b),
  binary_shift_left: bitwise((a, b) => (b < 0n || b > 63n ? 0n : a << b)),
  binary_shift_right: bitwise((a, b) => (b < 0n || b > 63n ? 0n : a >> b)),
  binary_not: ({ args }) => {
    const n = num(args[0]);
    return derived('long', args, (i) => {
      const v = n(i);
      return v === null ? null : Number(BigInt.asIntN(64, ~BigInt(Math.trunc(v))));
    });
  },
  abs: ({ args, type }) => {
    const n = num(args[0]);
    if (args[0].type === 'timespan') {
      return derived('timespan', args, (i) => {
        const v = args[0].eval(i) as bigint | null;
        return v === null ? null : v < 0n ? -v : v;
      });
    }
    return derived(type, args, (i) => {
      const v = n(i);
      return v === null ? null : Math.abs(v);
    });
  },
  round: ({ args }) => {
    const n = num(args[0]);
    const p = num(args[1]);
    return derived('real', args, (i) => {
      const v = n(i);
      const digits = args[1] ? p(i) : 0;
      if (v === null || digits === null) return null;
      const f = 10 ** digits;
      return Math.round(v * f) / f;
    });
  },
  pow: ({ args }) => {
    const [a, b] = args.map((x) => num(x));
    return derived('real', args, (i) => {
      const x = a(i);
      const y = b(i);
      return x === null || y === null ? null : x ** y;
    });
  },
  sqrt: math(Math.sqrt),
  log: math(Math.log),
  log10: math(Math.log10),
  log2: math(Math.log2),
  exp: math(Math.exp),
  isnan: ({ args }) => {
    const n = num(args[0]);
    return derived('bool', args, (i) => Number.isNaN(n(i)));
  },
  new_guid: () => volatile('guid', () => randomUUID()),
  rand: ({ args }) => {
    const range = num(args[0]);
    if (!args[0]) return volatile('real', () => Math.random());
    return volatile('long', (i) => {
      const n = range(i);
      return n === null ? null : Math.floor(Math.random() * n);
    });
  },
};
DYNAMIC_FUNCTIONS.extractjson = DYNAMIC_FUNCTIONS.extract_json;
DYNAMIC_FUNCTIONS.pack_dictionary = DYNAMIC_FUNCTIONS.pack;
DYNAMIC_FUNCTIONS.bag_pack = DYNAMIC_FUNCTIONS.pack;
