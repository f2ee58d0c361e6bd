import { KqlRuntimeError } from '../errors';
import type { KustoType } from '../types';
import { TICKS_0001_TO_1970 } from '../values/time';
import type { Value } from '../values/value';
import { xxhash64 } from '../values/xxhash64';
import { derived } from './compiled';
import type { FunctionImpl } from './function-call';

/**
 * The argument types hash() reproduces, with the bytes Kusto hashes for each: a string's UTF-8
 * (the documented "World" example), a datetime's .NET ticks since 0001-01-01 as a little-endian
 * int64 (the documented datetime example), and the .NET binary layout of long (8 bytes), int
 * (4 bytes) and real (IEEE double). Other types are refused before the query runs (hashArgumentProblem).
 */
export const HASHABLE_TYPES: ReadonlySet<KustoType> = new Set<KustoType>(['string', 'long', 'int', 'real', 'datetime']);

/** One scratch buffer for the bytes being hashed: evaluation is synchronous, so it is never shared. */
let scratch = Buffer.alloc(256);

/** Writes the bytes hash() hashes for a value of a hashable type into `scratch`; their count, or -1 for null. */
function writeHashedBytes(value: Value, type: KustoType): number {
  if (value === null) return -1;
  if (type === 'string') {
    const text = String(value);
    if (text.length * 3 > scratch.length) scratch = Buffer.alloc(text.length * 3);
    return scratch.write(text, 0, 'utf8');
  }
  if (type === 'int') return scratch.writeInt32LE(Number(value) | 0, 0);
  if (type === 'real') return scratch.writeDoubleLE(Number(value), 0);
  if (type === 'datetime') return scratch.writeBigInt64LE((value as bigint) + TICKS_0001_TO_1970, 0);
  return scratch.writeBigInt64LE(BigInt.asIntN(64, typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)))), 0);
}

/**
 * hash(source [, mod]) and hash_xxhash64(): XXH64 as a signed long; with mod, the unsigned hash
 * modulo mod (0..mod-1, the documented "World", 100 -> 51). mod must be a positive constant, as
 * Kusto requires. Without mod, a hash beyond 2^53 loses its low bits as every long here does;
 * with mod the value is exact.
 */
const hash: FunctionImpl = ({ args, node, scope }) => {
  const [source, modArg] = args;
  let mod: bigint | null = null;
  if (modArg) {
    const m = modArg.constant ? modArg.eval(-1) : null;
    if (m === null || typeof m === 'object' || Number(m) <= 0 || !Number.isInteger(Number(m))) {
      throw new KqlRuntimeError('hash(): argument 2 (mod) must be a constant positive long value', scope.ctx.position(node));
    }
    mod = BigInt(Number(m));
  }
  return derived('long', [source], (i) => {
    const length = writeHashedBytes(source.eval(i), source.type);
    if (length < 0) return null;
    const h = xxhash64(scratch, 0n, length);
    return mod === null ? Number(BigInt.asIntN(64, h)) : Number(h % mod);
  });
};

/** Hash functions beyond the cryptographic ones in functions-string.ts. */
export const HASH_FUNCTIONS: Record<string, FunctionImpl> = {
  hash,
  hash_xxhash64: hash,
};
