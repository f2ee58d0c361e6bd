/**
 * What a hunt costs the bot, phase by phase, summed since start: shown on /healthz and read by bench:bot.
 * In the turn: storing the running run (`begin`), posting the running card (`reply`), and the whole time
 * from the request's arrival to the running card being posted (`turn`, queueing included); after the backend
 * answered: shaping, the tag view, storing the run, rendering and the card PUT. Synchronous phases
 * (shaping, rendering) are exactly loop time; the awaited ones are wall time and include waiting for the
 * store, the connector and other hunts' turns.
 */
export const HUNT_PHASES = ['turn', 'begin', 'reply', 'shape', 'tags', 'save', 'render', 'put'] as const;
export type HuntPhase = (typeof HUNT_PHASES)[number];

export interface PhaseTotals {
  count: number;
  totalMs: number;
  maxMs: number;
}

export class PhaseStats {
  private readonly totals = new Map<HuntPhase, PhaseTotals>(HUNT_PHASES.map((phase) => [phase, { count: 0, totalMs: 0, maxMs: 0 }]));

  record(phase: HuntPhase, ms: number): void {
    const totals = this.totals.get(phase)!;
    totals.count++;
    totals.totalMs += ms;
    totals.maxMs = Math.max(totals.maxMs, ms);
  }

  /**
   * Times `work` (sync or async) as `phase`, whether it succeeds or throws. Synchronous work is recorded
   * as soon as it returns: awaiting its value first would add every microtask queued ahead (other hunts' work).
   */
  async time<T>(phase: HuntPhase, work: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    let result: T | Promise<T>;
    try {
      result = work();
    } catch (error) {
      this.record(phase, performance.now() - started);
      throw error;
    }
    if (!(result instanceof Promise)) {
      this.record(phase, performance.now() - started);
      return result;
    }
    try {
      return await result;
    } finally {
      this.record(phase, performance.now() - started);
    }
  }

  /** Milliseconds rounded to 0.01, per phase. */
  snapshot(): Record<HuntPhase, PhaseTotals> {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return Object.fromEntries(
      HUNT_PHASES.map((phase) => {
        const t = this.totals.get(phase)!;
        return [phase, { count: t.count, totalMs: round(t.totalMs), maxMs: round(t.maxMs) }];
      }),
    ) as Record<HuntPhase, PhaseTotals>;
  }
}
