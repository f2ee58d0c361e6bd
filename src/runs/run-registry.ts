import { StateUnreadableError, updateState, type StateStore } from '../state/state-store';
import type { HuntRun } from '../domain/hunt-run';
import type { RunRetention } from './retention';
import { toStoredRun, upgradeStoredRun } from './stored-run';

/**
 * Runs kept by id in the shared state store, so card actions (paging, tagging) are checked against
 * what the bot actually rendered — by whichever instance gets the click — rather than trusting card data.
 * Runs are written in the current stored version and read in any version a release has written (stored-run.ts);
 * a run that cannot be read (a newer release's, or damaged) is treated as gone, like one that was let go.
 */
export class RunRegistry {
  constructor(
    private readonly state: StateStore,
    /** Decides which runs to let go, fairly among people (without it the store's own limits apply). */
    private readonly retention?: RunRetention,
  ) {}

  async save(run: HuntRun): Promise<void> {
    await this.state.write(key(run.runId), toStoredRun(run));
    const drop = this.retention?.keep(run) ?? [];
    // A run that cannot be deleted now is only kept a little longer than planned.
    await Promise.all(drop.map((runId) => this.state.delete(key(runId)).catch(() => undefined)));
  }

  async get(runId: string): Promise<HuntRun | undefined> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(runId)) return undefined;
    try {
      return upgradeStoredRun((await this.state.read<unknown>(key(runId)))?.value);
    } catch (error) {
      if (error instanceof StateUnreadableError) return undefined;
      throw error;
    }
  }

  /** Applies a change to the latest stored run; concurrent changes (two taggers) are retried, not lost. */
  async update(runId: string, change: (run: HuntRun) => HuntRun): Promise<HuntRun | undefined> {
    let updated: HuntRun | undefined;
    try {
      await updateState<unknown>(this.state, key(runId), (stored) => {
        const current = upgradeStoredRun(stored);
        if (!current) throw new RunNotFound();
        updated = change(current);
        return toStoredRun(updated);
      });
      return updated;
    } catch (error) {
      if (error instanceof RunNotFound || error instanceof StateUnreadableError) return undefined;
      throw error;
    }
  }
}

/** Raised inside an update when there is no run this release can read, so nothing is written. */
class RunNotFound extends Error {}

function key(runId: string): string {
  return `runs/${runId}`;
}
