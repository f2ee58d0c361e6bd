/**
 * Tells a waiting card its place in line without flooding the connector: the first change goes out once
 * the hunt has waited `graceMs` (a burst's hunts mostly start within it, and their cards, which say when
 * they were started, need no second call), later ones at most once per interval and only when the place
 * differs from what the card shows. Updates never overlap, and none is sent after stop(), so the result
 * card cannot be overwritten by a late place in line.
 */
export class QueuePositionUpdates {
  /** What the card shows: 0 is the running card as first posted. */
  private shown = 0;
  private latest = 0;
  /** When the next update may go out: the first after the grace, later ones an interval after the last. */
  private nextAt: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly publish: (position: number) => Promise<void>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    graceMs = 0,
  ) {
    this.nextAt = now() + graceMs;
  }

  /** The scheduler's report (1-based place, 0 once started); never throws. */
  report(position: number): void {
    this.latest = position;
    if (this.stopped || this.timer || this.latest === this.shown) return;
    const wait = this.nextAt - this.now();
    if (wait <= 0) this.send();
    else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.stopped && this.latest !== this.shown) this.send();
      }, wait);
      this.timer.unref?.();
    }
  }

  /** No more updates; resolves when an update already on its way has landed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
  }

  private send(): void {
    const position = this.latest;
    this.shown = position;
    this.nextAt = this.now() + this.intervalMs;
    this.sending = this.sending.then(() => (this.stopped ? undefined : this.publish(position).catch(() => undefined)));
  }
}
