import { countOf } from '../text/count-text';

/** Raised by RunService.begin when the person already has as many hunts waiting or running as allowed. */
export class HuntLimitReached extends Error {
  constructor(
    readonly held: number,
    readonly limit: number,
  ) {
    super(
      `You already have ${countOf(held, 'hunt')} waiting or running, the most one person can have at once. ` +
        'Wait for one to finish, or press Cancel on one of their cards, then send this hunt again.',
    );
    this.name = 'HuntLimitReached';
  }
}

/**
 * Hunts each person has waiting or running on this instance. Taking a place is synchronous, so a
 * burst of turns arriving together cannot all pass the check before any of them is counted.
 */
export class HuntLimit {
  private readonly held = new Map<string, Set<string>>();

  constructor(readonly maxPerUser: number) {
    if (!Number.isInteger(maxPerUser) || maxPerUser < 1) throw new RangeError(`HuntLimit: maxPerUser must be a positive integer, got ${maxPerUser}`);
  }

  /** Takes a place for `runId`, or throws HuntLimitReached. */
  take(user: string, runId: string): void {
    const runs = this.held.get(user) ?? new Set<string>();
    if (runs.size >= this.maxPerUser) throw new HuntLimitReached(runs.size, this.maxPerUser);
    runs.add(runId);
    this.held.set(user, runs);
  }

  release(user: string, runId: string): void {
    const runs = this.held.get(user);
    if (!runs?.delete(runId)) return;
    if (runs.size === 0) this.held.delete(user);
  }

  heldBy(user: string): number {
    return this.held.get(user)?.size ?? 0;
  }
}
