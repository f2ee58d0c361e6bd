import { updateState, type StateStore } from '../state/state-store';
import type { HuntRun } from '../domain/hunt-run';
import type { RunRetention } from './retention';

/**
 * Runs kept by id in the shared state store, so card actions (paging, tagging) are checked against
 * what the bot actually rendered — by whichever instance gets the click — rather than trusting card data.
 */
export class RunRegistry {
  constructor(
    private readonly state: StateStore,
    /** Decides which runs to let go, fairly among people (without it the store's own limits apply). */
    private readonly retention?: RunRetention,
  ) {}

  async save(run: HuntRun): Promise<void> {
    await this.state.write(key(run.runId), run);
    const drop = this.retention?.keep(run) ?? [];
    // A run that cannot be deleted now is only kept a little longer than planned.
    await Promise.all(drop.map((runId) => this.state.delete(key(runId)).catch(() => undefined)));
  }

  async get(runId: string): Promise<HuntRun | undefined> {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(runId)) return undefined;
    return (await this.state.read<HuntRun>(key(runId)))?.value;
  }

  /** Applies a change to the latest stored run; concurrent changes (two taggers) are retried, not lost. */
  async update(runId: string, change: (run: HuntRun) => HuntRun): Promise<HuntRun | undefined> {
    try {
      return await updateState<HuntRun>(this.state, key(runId), (current) => {
        if (!current) throw new RunNotFound();
        return change(current);
      });
    } catch (error) {
      if (error instanceof RunNotFound) return undefined;
      throw error;
    }
  }
}

/** Raised inside an update when there is no such run, so nothing is written. */
class RunNotFound extends Error {}

function key(runId: string): string {
  return `runs/${runId}`;
}
