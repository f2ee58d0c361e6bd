import type { HuntRun } from './hunt-run';

/**
 * Runs kept server-side by id, so card actions (paging, tagging) are checked against what the bot
 * actually rendered rather than trusting card data. Bounded: the oldest runs are dropped first.
 */
export class RunRegistry {
  private readonly runs = new Map<string, HuntRun>();

  constructor(private readonly capacity = 500) {}

  save(run: HuntRun): void {
    this.runs.delete(run.runId);
    this.runs.set(run.runId, run);
    while (this.runs.size > this.capacity) {
      const oldest = this.runs.keys().next().value as string;
      this.runs.delete(oldest);
    }
  }

  get(runId: string): HuntRun | undefined {
    return this.runs.get(runId);
  }

  running(): number {
    let n = 0;
    for (const run of this.runs.values()) if (run.status === 'running') n++;
    return n;
  }
}
