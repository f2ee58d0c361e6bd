import type { HuntRun } from '../domain/hunt-run';

export interface RunRetentionOptions {
  /** Runs kept at most; undefined keeps every run (Blob state: expire it with a lifecycle rule). */
  capacity?: number;
}

interface Kept {
  /** The same hunt over the same window: identical results for everyone who asks within the minute. */
  group: string;
  /** The result came from an identical hunt (cached or joined), not from its own query. */
  shared: boolean;
  finished: boolean;
}

/**
 * Which stored runs to let go, fairly. A result reused from an identical hunt replaces that person's
 * previous reused copy of it, so repeating a hunt does not pile up runs. Over capacity, the person who
 * holds the most runs loses their oldest finished one: one person's flood only ever drops their own runs.
 */
export class RunRetention {
  /** Per person, run ids in the order they were first kept (oldest first). */
  private readonly byOwner = new Map<string, Map<string, Kept>>();
  private count = 0;

  constructor(private readonly options: RunRetentionOptions = {}) {
    const capacity = options.capacity;
    if (capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`RunRetention: capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.count;
  }

  /** Records a saved run; returns the ids of runs to delete now. */
  keep(run: HuntRun): string[] {
    const owner = ownerOf(run);
    const runs = this.byOwner.get(owner) ?? new Map<string, Kept>();
    this.byOwner.set(owner, runs);
    if (!runs.has(run.runId)) this.count++;
    const kept: Kept = { group: groupOf(run), shared: run.reuse !== undefined, finished: run.status !== 'running' };
    runs.set(run.runId, { ...kept });

    const drop: string[] = [];
    if (kept.shared && kept.finished) {
      for (const [runId, other] of runs) {
        if (runId !== run.runId && other.shared && other.finished && other.group === kept.group) drop.push(runId);
      }
    }
    for (const runId of drop) this.forget(owner, runId);
    const capacity = this.options.capacity;
    while (capacity !== undefined && this.count > capacity) {
      const victim = this.victim(run.runId);
      if (!victim) break;
      this.forget(victim.owner, victim.runId);
      drop.push(victim.runId);
    }
    return drop;
  }

  /** The oldest finished run (else the oldest) of whoever holds the most; never `spare`. */
  private victim(spare: string): { owner: string; runId: string } | undefined {
    let biggest: [string, Map<string, Kept>] | undefined;
    for (const entry of this.byOwner) {
      const held = entry[1].size - (entry[1].has(spare) ? 1 : 0);
      const biggestHeld = biggest ? biggest[1].size - (biggest[1].has(spare) ? 1 : 0) : 0;
      if (held > biggestHeld) biggest = entry;
    }
    if (!biggest) return undefined;
    const [owner, runs] = biggest;
    const candidates = [...runs].filter(([runId]) => runId !== spare);
    const oldest = candidates.find(([, kept]) => kept.finished) ?? candidates[0];
    return oldest ? { owner, runId: oldest[0] } : undefined;
  }

  private forget(owner: string, runId: string): void {
    const runs = this.byOwner.get(owner);
    if (!runs?.delete(runId)) return;
    this.count--;
    if (runs.size === 0) this.byOwner.delete(owner);
  }
}

/** Stored runs come from other instances and versions too: a run without its requester is nobody's in particular. */
function ownerOf(run: HuntRun): string {
  return run.requestedBy?.aadObjectId || run.requestedBy?.id || '';
}

function groupOf(run: HuntRun): string {
  return JSON.stringify([run.backend, run.huntKey, run.kind, run.windowStart, run.windowEnd]);
}
