import { finishHash, HASH_SEED, mixByte, mixWord } from './byte-hash';

const QUOTE = 34;
const BACKSLASH = 92;
const ONES = 0x01010101;
const HIGH_BITS = 0x80808080 | 0;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;
const SPACES = 0x20202020;

/** What scanJsonString found besides the closing quote. */
export interface StringScan {
  /** The content's byteHash (byte-hash.ts); only set when `escaped` is false. */
  hash: number;
  /** The string holds a backslash escape: its bytes are not its value. */
  escaped: boolean;
}

/**
 * Finds the closing quote of the JSON string whose content starts at `pos`, hashing the content on
 * the way: one 32-bit word at a time while a word holds no quote, backslash or control byte (the
 * bit tricks below test all four bytes at once, exactly), byte by byte from the first word that does.
 * `view` is a DataView of `buf`'s bytes. Returns the quote's index, or -1 when the string is not
 * valid JSON (a raw control byte) or does not end before `end`.
 */
export function scanJsonString(buf: Uint8Array, view: DataView, pos: number, end: number, scan: StringScan): number {
  let h = HASH_SEED;
  let i = pos;
  for (; i + 4 <= end; i += 4) {
    const word = view.getInt32(i, true);
    if (endsPlainRun(word)) break;
    h = mixWord(h, word);
  }
  for (; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      scan.escaped = false;
      scan.hash = finishHash(h, i - pos);
      return i;
    }
    if (b === BACKSLASH) {
      scan.escaped = true;
      return escapedStringEnd(buf, i, end);
    }
    if (b < 32) return -1;
    h = mixByte(h, b);
  }
  return -1;
}

/** scanJsonString without the hash (a datetime's text, an unknown key's value): `scan.escaped` only. */
export function jsonStringEnd(buf: Uint8Array, view: DataView, pos: number, end: number, scan: StringScan): number {
  let i = pos;
  while (i + 4 <= end && !endsPlainRun(view.getInt32(i, true))) i += 4;
  for (; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      scan.escaped = false;
      return i;
    }
    if (b === BACKSLASH) {
      scan.escaped = true;
      return escapedStringEnd(buf, i, end);
    }
    if (b < 32) return -1;
  }
  return -1;
}

/**
 * True when the four bytes of `word` hold a quote, a backslash or a control byte (exactly: (x - 0x01..) & ~x
 * has a high bit set when x has a zero byte, (w - 0x20..) & ~w when w has a byte below 0x20).
 */
function endsPlainRun(word: number): boolean {
  const quotes = word ^ QUOTES;
  const backslashes = word ^ BACKSLASHES;
  return (((quotes - ONES) & ~quotes & HIGH_BITS) | ((backslashes - ONES) & ~backslashes & HIGH_BITS) | ((word - SPACES) & ~word & HIGH_BITS)) !== 0;
}

/** The closing quote of a string from `pos` on, skipping escapes; -1 as scanJsonString. */
function escapedStringEnd(buf: Uint8Array, pos: number, end: number): number {
  for (let i = pos; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) return i;
    if (b === BACKSLASH) i++;
    else if (b < 32) return -1;
  }
  return -1;
}
