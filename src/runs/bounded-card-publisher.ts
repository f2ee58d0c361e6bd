import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { CardPublisher, CardTarget, CardUpdateOptions } from './card-publisher';

interface Pending {
  card: AdaptiveCardJson;
  options?: CardUpdateOptions;
  settle: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

interface Slot {
  busy: boolean;
  next?: Pending;
}

/**
 * Card updates through a bounded number of connector calls at once, so a burst of hunts cannot open
 * thousands of sockets. Updates of one card go out one after another, in order; an update still waiting
 * when a newer one for the same card arrives is replaced by it (the card only needs its latest state),
 * and its caller settles with the newer one.
 */
export class BoundedCardPublisher implements CardPublisher {
  private readonly slots = new Map<CardTarget, Slot>();
  private readonly ready: CardTarget[] = [];
  private active = 0;
  /** Notes go straight through: rare (one per card that could not be updated), never behind card updates. */
  readonly notify?: (target: CardTarget, text: string) => Promise<void>;

  constructor(
    private readonly inner: CardPublisher,
    private readonly maxConcurrent = 8,
  ) {
    const notify = inner.notify?.bind(inner);
    if (notify) this.notify = notify;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new RangeError(`BoundedCardPublisher: maxConcurrent must be a positive integer, got ${maxConcurrent}`);
  }

  /** Card updates started and not yet answered (for /healthz and tests). */
  get inFlight(): number {
    return this.active;
  }

  /** Updates waiting for a connector call. */
  get waiting(): number {
    return this.ready.length;
  }

  update(target: CardTarget, card: AdaptiveCardJson, options?: CardUpdateOptions): Promise<void> {
    // Someone is waiting on this one (a button press, with its own short budget): it never queues behind background updates.
    if (options?.inTurn) return this.inner.update(target, card, options);
    return new Promise<void>((resolve, reject) => {
      const slot = this.slots.get(target) ?? { busy: false };
      this.slots.set(target, slot);
      if (slot.next) {
        slot.next.card = card;
        slot.next.options = options;
        slot.next.settle.push({ resolve, reject });
        return;
      }
      slot.next = { card, options, settle: [{ resolve, reject }] };
      if (!slot.busy) this.ready.push(target);
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.maxConcurrent && this.ready.length > 0) {
      const target = this.ready.shift() as CardTarget;
      const slot = this.slots.get(target);
      const pending = slot?.next;
      if (!slot || !pending) continue;
      slot.next = undefined;
      slot.busy = true;
      this.active++;
      // A synchronous throw from the inner publisher settles like a failed update.
      void new Promise<void>((resolve) => resolve(this.inner.update(target, pending.card, pending.options))).then(
        () => this.done(target, slot, pending, undefined),
        (error: unknown) => this.done(target, slot, pending, error ?? new Error('card update failed')),
      );
    }
  }

  private done(target: CardTarget, slot: Slot, pending: Pending, error: unknown): void {
    this.active--;
    slot.busy = false;
    if (slot.next) this.ready.push(target);
    else this.slots.delete(target);
    for (const { resolve, reject } of pending.settle) {
      if (error === undefined) resolve();
      else reject(error);
    }
    this.pump();
  }
}
