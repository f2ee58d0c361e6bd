/**
 * XXH64 (xxHash, 64-bit), the algorithm Kusto's hash() documents. BigInt arithmetic modulo 2^64:
 * exact, and fast enough for the per-distinct-value evaluation string columns get.
 */
const MASK = (1n << 64n) - 1n;
const PRIME1 = 0x9e3779b185ebca87n;
const PRIME2 = 0xc2b2ae3d27d4eb4fn;
const PRIME3 = 0x165667b19e3779f9n;
const PRIME4 = 0x85ebca77c2b2ae63n;
const PRIME5 = 0x27d4eb2f165667c5n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl((acc + input * PRIME2) & MASK, 31n) * PRIME1) & MASK;
}

function merge(acc: bigint, lane: bigint): bigint {
  return (((acc ^ round(0n, lane)) * PRIME1) + PRIME4) & MASK;
}

/** The unsigned 64-bit XXH64 of `bytes` with `seed`. */
export function xxhash64(bytes: Uint8Array, seed = 0n): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  let at = 0;
  let h: bigint;
  if (length >= 32) {
    let v1 = (seed + PRIME1 + PRIME2) & MASK;
    let v2 = (seed + PRIME2) & MASK;
    let v3 = seed & MASK;
    let v4 = (seed - PRIME1) & MASK;
    for (; at + 32 <= length; at += 32) {
      v1 = round(v1, view.getBigUint64(at, true));
      v2 = round(v2, view.getBigUint64(at + 8, true));
      v3 = round(v3, view.getBigUint64(at + 16, true));
      v4 = round(v4, view.getBigUint64(at + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = (seed + PRIME5) & MASK;
  }
  h = (h + BigInt(length)) & MASK;
  for (; at + 8 <= length; at += 8) h = ((rotl(h ^ round(0n, view.getBigUint64(at, true)), 27n) * PRIME1) + PRIME4) & MASK;
  if (at + 4 <= length) {
    h = ((rotl(h ^ ((BigInt(view.getUint32(at, true)) * PRIME1) & MASK), 23n) * PRIME2) + PRIME3) & MASK;
    at += 4;
  }
  for (; at < length; at++) h = (rotl(h ^ ((BigInt(bytes[at]) * PRIME5) & MASK), 11n) * PRIME1) & MASK;
  h = ((h ^ (h >> 33n)) * PRIME2) & MASK;
  h = ((h ^ (h >> 29n)) * PRIME3) & MASK;
  return h ^ (h >> 32n);
}
