import { viewsEqual } from './byte-hash';

const EMPTY = new Uint8Array(0);
const INITIAL_SLOTS = 1024;
/** Int32s per slot. */
const SLOT = 4;

/**
 * The distinct strings of a column, interned by their UTF-8 bytes so a JavaScript string is made
 * once per distinct value. Open addressing over typed arrays: a slot holds the value's hash next to
 * its code, so a probe reads one place and compares bytes only when hash and length both match.
 * Callers pass the bytes' hashBytes (byte-hash.ts), which the JSONL scanner has already computed.
 */
export class ByteDictionary {
  /** Each code's string. */
  readonly values: string[] = [];
  /** Per slot, one probe's reads side by side: the hash, the code + 1 (0: empty), where the bytes start in the arena, their length. */
  private slots = new Int32Array(SLOT * INITIAL_SLOTS);
  private arena = new Uint8Array(64 * 1024);
  private arenaView = new DataView(this.arena.buffer);
  private arenaUsed = 0;
  /** Slots in use (more than codes when several byte sequences share a value, see lossyCodes). */
  private used = 0;
  /** A DataView of the last caller's buffer (a file chunk, reused for many values). */
  private viewed: Uint8Array = EMPTY;
  private view: DataView = new DataView(EMPTY.buffer);
  /** Consecutive rows often repeat a value (same device, same issuer): the last one is checked first. */
  private lastSlot = -1;
  /**
   * Codes of the values whose bytes do not give them back: different invalid UTF-8 bytes decode to the
   * same U+FFFD text, and a lone surrogate has no UTF-8 bytes at all. Kept by text, so each value has one code.
   */
  private readonly lossyCodes = new Map<string, number>();

  /** The code of the bytes [start, end) of `buf`, whose hashBytes is `hash`; new values get the next code. */
  intern(buf: Uint8Array, start: number, end: number, hash: number): number {
    if (this.viewed !== buf) {
      this.viewed = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const length = end - start;
    const slots = this.slots;
    const last = this.lastSlot;
    if (last >= 0 && slots[last] === hash && slots[last + 3] === length && viewsEqual(this.arenaView, slots[last + 2], this.view, start, length)) return slots[last + 1] - 1;
    const mask = slots.length / SLOT - 1;
    let slot = hash & mask;
    for (;;) {
      const at = SLOT * slot;
      const stored = slots[at + 1];
      if (stored === 0) break;
      if (slots[at] === hash && slots[at + 3] === length && viewsEqual(this.arenaView, slots[at + 2], this.view, start, length)) {
        this.lastSlot = at;
        return stored - 1;
      }
      slot = (slot + 1) & mask;
    }
    const text = Buffer.from(buf.buffer, buf.byteOffset + start, length).toString('utf8');
    const code = text.includes('\uFFFD') ? this.internUnencodable(text) : this.values.push(text) - 1;
    const at = SLOT * slot;
    slots[at] = hash;
    slots[at + 1] = code + 1;
    slots[at + 2] = this.add(buf, start, length);
    slots[at + 3] = length;
    this.lastSlot = at;
    this.used++;
    if (this.used * 2 > mask + 1) this.rehash();
    return code;
  }

  /** The code of a text its bytes do not give back: one with a lone surrogate or a U+FFFD (see lossyCodes). */
  internUnencodable(text: string): number {
    let code = this.lossyCodes.get(text);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(text);
      this.lossyCodes.set(text, code);
    }
    return code;
  }

  /** Keeps the new value's bytes; returns where they start in the arena. */
  private add(buf: Uint8Array, start: number, length: number): number {
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer);
    }
    this.arena.set(buf.subarray(start, start + length), this.arenaUsed);
    const at = this.arenaUsed;
    this.arenaUsed += length;
    return at;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length / SLOT - 1;
    for (let k = 0; k < old.length; k += SLOT) {
      if (old[k + 1] === 0) continue;
      let slot = old[k] & mask;
      while (slots[SLOT * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(k, k + SLOT), SLOT * slot);
    }
    this.slots = slots;
    this.lastSlot = -1;
  }
}
