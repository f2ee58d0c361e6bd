/**
 * The byte hash the JSONL loader interns strings by. The scanner computes it while it looks for a
 * string's closing quote (four bytes at a time, see jsonl-string-scan.ts) and hashBytes computes it
 * over bytes already found, so both must mix the same way: every whole little-endian 32-bit word
 * from the start, then the 0-3 bytes left one by one, then the length.
 */

export const HASH_SEED = 0x811c9dc5 | 0;

export function mixWord(h: number, word: number): number {
  const m = Math.imul(h ^ word, 0x01000193);
  return m ^ (m >>> 15);
}

export function mixByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}

/**
 * A final avalanche so the low bits (used for the slot) depend on every byte: values that share long
 * prefixes and suffixes (host names under one domain) must not collide.
 */
export function finishHash(h: number, length: number): number {
  let f = h ^ length;
  f ^= f >>> 13;
  f = Math.imul(f, 0x5bd1e995);
  return f ^ (f >>> 15);
}

/** The hash of the bytes [start, end). */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  let i = start;
  for (; i + 4 <= end; i += 4) h = mixWord(h, buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
  for (; i < end; i++) h = mixByte(h, buf[i]);
  return finishHash(h, end - start);
}

/** Compares from the end: identifiers that share a prefix (device ids, paths) differ at their tails. */
export function bytesEqual(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = length - 1; i >= 0; i--) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** bytesEqual through DataViews of both sides, four bytes per comparison (the JIT makes each read one load). */
export function viewsEqual(a: DataView, aStart: number, b: DataView, bStart: number, length: number): boolean {
  let i = 0;
  for (; i + 4 <= length; i += 4) if (a.getInt32(aStart + i, true) !== b.getInt32(bStart + i, true)) return false;
  for (; i < length; i++) if (a.getUint8(aStart + i) !== b.getUint8(bStart + i)) return false;
  return true;
}
