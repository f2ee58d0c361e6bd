/**
 * XXH64 (xxHash, 64-bit), the algorithm Kusto's hash() documents. 64-bit words are kept as two
 * unsigned 32-bit halves in plain numbers (BigInt arithmetic was ~10x slower per row); helpers
 * leave their result in RH:RL instead of allocating.
 */
let RH = 0;
let RL = 0;

const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  RL = lo >>> 0;
  RH = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** The low 64 bits of a * b. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a1 * b0 + a0 * b1;
  const low = a0 * b0 + (mid % 0x10000) * 0x10000;
  RL = low >>> 0;
  RH = (a1 * b1 + Math.floor(mid / 0x10000) + Math.floor(low / 0x100000000) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** Rotate left by 0 < r < 32. */
function rotl(h: number, l: number, r: number): void {
  RH = ((h << r) | (l >>> (32 - r))) >>> 0;
  RL = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** acc = rotl(acc + input * PRIME2, 31) * PRIME1. */
function round(acch: number, accl: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(acch, accl, RH, RL);
  rotl(RH, RL, 31);
  mul(RH, RL, P1H, P1L);
}

/** acc = (acc ^ round(0, lane)) * PRIME1 + PRIME4. */
function merge(acch: number, accl: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul((acch ^ RH) >>> 0, (accl ^ RL) >>> 0, P1H, P1L);
  add(RH, RL, P4H, P4L);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** The unsigned 64-bit XXH64 of the first `length` bytes of `bytes` (all by default) with `seed`. */
export function xxhash64(bytes: Uint8Array, seed = 0n, length = bytes.byteLength): bigint {
  const sh = Number((seed >> 32n) & 0xffffffffn);
  const sl = Number(seed & 0xffffffffn);
  let at = 0;
  let hh: number;
  let hl: number;
  if (length >= 32) {
    add(sh, sl, P1H, P1L);
    add(RH, RL, P2H, P2L);
    let v1h = RH;
    let v1l = RL;
    add(sh, sl, P2H, P2L);
    let v2h = RH;
    let v2l = RL;
    let v3h = sh;
    let v3l = sl;
    add(sh, sl, 0x61c8864e, 0x7a143579); // seed - PRIME1 (2^64 - PRIME1)
    let v4h = RH;
    let v4l = RL;
    for (; at + 32 <= length; at += 32) {
      round(v1h, v1l, u32(bytes, at + 4), u32(bytes, at));
      v1h = RH;
      v1l = RL;
      round(v2h, v2l, u32(bytes, at + 12), u32(bytes, at + 8));
      v2h = RH;
      v2l = RL;
      round(v3h, v3l, u32(bytes, at + 20), u32(bytes, at + 16));
      v3h = RH;
      v3l = RL;
      round(v4h, v4l, u32(bytes, at + 28), u32(bytes, at + 24));
      v4h = RH;
      v4l = RL;
    }
    rotl(v1h, v1l, 1);
    hh = RH;
    hl = RL;
    rotl(v2h, v2l, 7);
    add(hh, hl, RH, RL);
    hh = RH;
    hl = RL;
    rotl(v3h, v3l, 12);
    add(hh, hl, RH, RL);
    hh = RH;
    hl = RL;
    rotl(v4h, v4l, 18);
    add(hh, hl, RH, RL);
    merge(RH, RL, v1h, v1l);
    merge(RH, RL, v2h, v2l);
    merge(RH, RL, v3h, v3l);
    merge(RH, RL, v4h, v4l);
    hh = RH;
    hl = RL;
  } else {
    add(sh, sl, P5H, P5L);
    hh = RH;
    hl = RL;
  }
  add(hh, hl, 0, length >>> 0);
  hh = RH;
  hl = RL;
  for (; at + 8 <= length; at += 8) {
    round(0, 0, u32(bytes, at + 4), u32(bytes, at));
    rotl((hh ^ RH) >>> 0, (hl ^ RL) >>> 0, 27);
    mul(RH, RL, P1H, P1L);
    add(RH, RL, P4H, P4L);
    hh = RH;
    hl = RL;
  }
  if (at + 4 <= length) {
    mul(0, u32(bytes, at), P1H, P1L);
    rotl((hh ^ RH) >>> 0, (hl ^ RL) >>> 0, 23);
    mul(RH, RL, P2H, P2L);
    add(RH, RL, P3H, P3L);
    hh = RH;
    hl = RL;
    at += 4;
  }
  for (; at < length; at++) {
    mul(0, bytes[at], P5H, P5L);
    rotl((hh ^ RH) >>> 0, (hl ^ RL) >>> 0, 11);
    mul(RH, RL, P1H, P1L);
    hh = RH;
    hl = RL;
  }
  // Avalanche: h ^= h >> 33; h *= PRIME2; h ^= h >> 29; h *= PRIME3; h ^= h >> 32.
  mul(hh, (hl ^ (hh >>> 1)) >>> 0, P2H, P2L);
  hh = RH;
  hl = RL;
  mul((hh ^ (hh >>> 29)) >>> 0, (hl ^ ((hl >>> 29) | (hh << 3))) >>> 0, P3H, P3L);
  hh = RH;
  hl = (RL ^ RH) >>> 0;
  return (BigInt(hh) << 32n) | BigInt(hl);
}
