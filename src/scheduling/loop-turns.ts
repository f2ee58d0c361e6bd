import type { ForegroundRequests } from './foreground-requests';

/**
 * Background steps one per event-loop iteration. When one backend answer completes many hunts at once
 * (identical hunts sharing a run), their shaping, tag view and card render would otherwise run back to
 * back in one go while new messages wait unread; taking turns lets the loop read and answer the requests
 * that arrived (a new hunt's running card) between steps.
 */
export class LoopTurns {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** With `foreground`, a step first lets the user requests in progress finish (bounded, see ForegroundRequests). */
  constructor(private readonly foreground?: ForegroundRequests) {}

  /** Resolves in its own iteration of the event loop, in the order asked. */
  async next(): Promise<void> {
    await this.foreground?.idle();
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate queued from an immediate runs in the next iteration, after the loop polled for I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
