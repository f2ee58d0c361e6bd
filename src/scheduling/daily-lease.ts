import { StateConflictError, type StateStore } from '../state/state-store';

/** What the lease record in the state store holds: who runs the job now, until when, and the last day it was done. */
export interface DailyLeaseRecord {
  holder: string;
  /** ISO 8601; after it any instance may take the lease over (the holder died or hung). */
  expiresAtUtc: string;
  /** `YYYY-MM-DD` (UTC) of the last run that finished; that day's job is not run again. */
  lastCompletedDay: string;
}

export type LeaseClaim =
  /** `previousDay`: the last finished day before this claim, kept if the job fails and the lease is released. */
  | { kind: 'won'; day: string; etag: string; previousDay: string }
  /** Another instance holds an unexpired lease, or won the race to write it. */
  | { kind: 'held-elsewhere'; holder: string }
  | { kind: 'already-done'; day: string };

/**
 * "One instance runs the daily job": a lease record in the shared state store, created only if absent
 * ('*new*': If-None-Match on Blob) or taken over only at the version read (If-Match), so of two instances
 * racing, the store lets exactly one write land. The record also keeps the last finished day, so an
 * instance that claims after another finished does not run the day again; a holder that dies leaves
 * a lease that expires and is taken over.
 */
export class DailyLease {
  constructor(
    private readonly state: StateStore,
    private readonly key: string,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  async claim(now: Date): Promise<LeaseClaim> {
    const day = utcDay(now);
    const current = await this.state.read<DailyLeaseRecord>(this.key);
    const record = current?.value;
    if (record?.lastCompletedDay === day) return { kind: 'already-done', day };
    if (record && record.holder !== '' && record.holder !== this.holder && Date.parse(record.expiresAtUtc) > now.getTime()) {
      return { kind: 'held-elsewhere', holder: record.holder };
    }
    const next: DailyLeaseRecord = {
      holder: this.holder,
      expiresAtUtc: new Date(now.getTime() + this.ttlMs).toISOString(),
      lastCompletedDay: record?.lastCompletedDay ?? '',
    };
    try {
      const etag = await this.state.write(this.key, next, current?.etag ?? '*new*');
      return { kind: 'won', day, etag, previousDay: next.lastCompletedDay };
    } catch (error) {
      if (error instanceof StateConflictError) return { kind: 'held-elsewhere', holder: '(another instance, same moment)' };
      throw error;
    }
  }

  /** Extends a won lease (a heartbeat for long jobs); rejects with StateConflictError if it was taken over. */
  async renew(claim: Extract<LeaseClaim, { kind: 'won' }>, now: Date): Promise<Extract<LeaseClaim, { kind: 'won' }>> {
    const record: DailyLeaseRecord = {
      holder: this.holder,
      expiresAtUtc: new Date(now.getTime() + this.ttlMs).toISOString(),
      lastCompletedDay: claim.previousDay,
    };
    return { ...claim, etag: await this.state.write(this.key, record, claim.etag) };
  }

  /** Records the day as done and lets the lease go; rejects with StateConflictError if another instance took it over. */
  async complete(claim: Extract<LeaseClaim, { kind: 'won' }>, now: Date): Promise<void> {
    await this.state.write<DailyLeaseRecord>(this.key, { holder: '', expiresAtUtc: now.toISOString(), lastCompletedDay: claim.day }, claim.etag);
  }

  /** Lets the lease go without marking the day done (the job failed; another instance, or the next tick, retries). */
  async release(claim: Extract<LeaseClaim, { kind: 'won' }>, now: Date): Promise<void> {
    await this.state
      .write<DailyLeaseRecord>(this.key, { holder: '', expiresAtUtc: now.toISOString(), lastCompletedDay: claim.previousDay }, claim.etag)
      .catch((error: unknown) => {
        if (!(error instanceof StateConflictError)) throw error;
      });
  }
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
