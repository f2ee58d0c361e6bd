import type { HuntRun } from '../domain/hunt-run';
import { refreshAfterWrite, type PublishRun, type RefreshResult, type TagRefreshDeps } from './tag-refresh';

interface Waiter {
  run: HuntRun;
  withWriteOnly: (run: HuntRun) => HuntRun;
  publish?: PublishRun;
  resolve: (result: RefreshResult) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  waiting: Waiter[];
}

/**
 * The refreshes after tag writes (stored run and shared card), one at a time per run in this process.
 * A writer arriving while a refresh runs waits for the next one, which starts when it ends and serves every
 * writer that arrived meanwhile. Each refresh reads the store after its writers' writes, and publishes only
 * after the one before it has landed: so the last card sent shows the store as it was after the last write.
 * Concurrent refreshes could not promise that: one that read the store before a write could publish after
 * that writer's own refresh had landed and checked (the bounded re-reads of refreshAfterWrite only narrow it).
 */
export class RunRefreshQueue {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly deps: TagRefreshDeps) {}

  refresh(run: HuntRun, withWriteOnly: (run: HuntRun) => HuntRun, publish?: PublishRun): Promise<RefreshResult> {
    return new Promise((resolve, reject) => {
      const running = this.slots.get(run.runId);
      const waiter = { run, withWriteOnly, publish, resolve, reject };
      if (running) running.waiting.push(waiter);
      else void this.serve(run.runId, [waiter]);
    });
  }

  private async serve(runId: string, first: Waiter[]): Promise<void> {
    const slot: Slot = { waiting: [] };
    this.slots.set(runId, slot);
    for (let batch = first; batch.length > 0; batch = slot.waiting.splice(0)) await this.refreshFor(batch);
    this.slots.delete(runId);
  }

  /** One refresh for writers who all wrote before it started: their write-only views combined, each card published once. */
  private async refreshFor(batch: Waiter[]): Promise<void> {
    const cards = new Map<unknown, PublishRun>();
    for (const w of batch) if (w.publish) cards.set(w.publish.card ?? w, w.publish);
    // Whether each card's latest publish landed; only its own clickers hear that it did not.
    const landed = new Map<unknown, boolean>();
    const publishAll: PublishRun = async (run) => {
      const results = await Promise.allSettled(
        [...cards].map(async ([card, publish]) => {
          landed.set(card, false);
          await publish(run);
          landed.set(card, true);
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    };
    try {
      const last = batch[batch.length - 1];
      const result = await refreshAfterWrite(this.deps, last.run, (r) => batch.reduce((acc, w) => w.withWriteOnly(acc), r), cards.size > 0 ? publishAll : undefined);
      const others = result.problems.filter((p) => p !== 'card');
      for (const w of batch) {
        const cardFailed = w.publish !== undefined && landed.get(w.publish.card ?? w) === false;
        w.resolve({ run: result.run, problems: cardFailed ? [...others, 'card'] : others });
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
