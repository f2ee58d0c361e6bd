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

/** The bytes hash() hashes for a value of a hashable type; null for a null value. */
function hashedBytes(value: Value, type: KustoType): Uint8Array | null {
  if (value === null) return null;
  if (type === 'string') return Buffer.from(String(value), 'utf8');
  const bytes = Buffer.alloc(type === 'int' ? 4 : 8);
  if (type === 'int') bytes.writeInt32LE(Number(value) | 0);
  else if (type === 'real') bytes.writeDoubleLE(Number(value));
  else if (type === 'datetime') bytes.writeBigInt64LE((value as bigint) + TICKS_0001_TO_1970);
  else bytes.writeBigInt64LE(BigInt.asIntN(64, typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)))));
  return bytes;
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
    const bytes = hashedBytes(source.eval(i), source.type);
    if (bytes === null) return null;
    const h = xxhash64(bytes);
    return mod === null ? Number(BigInt.asIntN(64, h)) : Number(h % mod);
  });
};

/** Hash functions beyond the cryptographic ones in functions-string.ts. */
export const HASH_FUNCTIONS: Record<string, FunctionImpl> = {
  hash,
  hash_xxhash64: hash,
};
