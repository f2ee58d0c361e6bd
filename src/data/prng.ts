import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (sfc32) so sample telemetry is identical for the same seed. Each purpose gets
 * its own stream (`Prng.for(seed, 'DeviceProcessEvents')`), so generating one table alone yields the
 * same rows as generating it alongside the others.
 */
export class Prng {
  private constructor(
    private a: number,
    private b: number,
    private c: number,
    private d: number,
  ) {
    for (let i = 0; i < 12; i++) this.next(); // mix the initial state
  }

  static for(seed: number, purpose: string): Prng {
    const digest = createHash('sha256').update(`${seed}\u0000${purpose}`).digest();
    return new Prng(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; `weights[i]` belongs to `items[i]`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((sum, w) => sum + w, 0);
    let roll = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      roll -= weights[i];
      if (roll < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** `count` distinct items (fewer if the list is shorter), in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(count, copy.length));
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }
}

/** Hex digest of text: stable hashes for sample file contents and certificates. */
export function digestHex(algorithm: 'sha1' | 'sha256' | 'md5', text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

/** The three hashes a sample file carries, all derived from one text (usually its path). */
export function fileDigestsOf(text: string): { sha1: string; sha256: string; md5: string } {
  return { sha1: digestHex('sha1', text), sha256: digestHex('sha256', text), md5: digestHex('md5', text) };
}
