/**
 * Waiting items taken round-robin across keys and first-in first-out within a key, so one key with
 * ten items waiting does not starve a key with one.
 */
export class FairQueue<T> {
  /** Items per key; the Map's insertion order is the order in which keys get their next turn. */
  private readonly byKey = new Map<string, T[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  sizeOf(key: string): number {
    return this.byKey.get(key)?.length ?? 0;
  }

  /** Adds an item behind the key's other items; a key that had none joins the back of the turn order. */
  push(key: string, item: T): void {
    const items = this.byKey.get(key);
    if (items) items.push(item);
    else this.byKey.set(key, [item]);
    this.count++;
  }

  /** Removes a waiting item (its caller gave up); false when it is not waiting. */
  remove(key: string, item: T): boolean {
    const items = this.byKey.get(key);
    const index = items ? items.indexOf(item) : -1;
    if (!items || index < 0) return false;
    items.splice(index, 1);
    if (items.length === 0) this.byKey.delete(key);
    this.count--;
    return true;
  }

  /**
   * Takes the oldest item of the first key, in turn order, that `eligible` accepts; that key goes to
   * the back of the turn order. A key passed over keeps its place, so it is first once eligible again.
   */
  take(eligible: (key: string) => boolean = () => true): T | undefined {
    for (const [key, items] of this.byKey) {
      if (!eligible(key)) continue;
      const item = items.shift() as T;
      this.byKey.delete(key);
      if (items.length > 0) this.byKey.set(key, items);
      this.count--;
      return item;
    }
    return undefined;
  }

  /** Every waiting item in the order `take` hands them out while every key stays eligible. */
  order(): T[] {
    const queues = [...this.byKey.values()];
    const ordered: T[] = [];
    for (let round = 0; ordered.length < this.count; round++) {
      for (const items of queues) if (round < items.length) ordered.push(items[round]);
    }
    return ordered;
  }
}
