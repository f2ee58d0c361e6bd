import type { AdaptiveCardJson, HuntRunRequest } from '../commands/command-reply';
import type { Requester } from '../commands/command-spec';
import { resultCard } from '../cards/run-cards';
import type { Logger } from '../logging/logger';
import type { HuntRun } from './hunt-run';
import type { InflightTracker } from './inflight-tracker';
import type { HuntRunner } from './hunt-runner';
import type { RunRegistry } from './run-registry';

/** Where a card lives, opaque to everything but the bot layer that posted it. */
export interface CardTarget {
  conversation: unknown;
  activityId: string;
}

/** Replaces a posted card in place (the bot layer implements it with updateActivity). */
export interface CardPublisher {
  update(target: CardTarget, card: AdaptiveCardJson): Promise<void>;
}

/**
 * Starts hunts and finishes them in the background: the running card goes out at once (Teams
 * gives a turn 10–15 s), the result replaces it when the query is done.
 */
export class RunService {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly runner: HuntRunner,
    private readonly registry: RunRegistry,
    private readonly publisher: CardPublisher,
    private readonly logger: Logger,
    private readonly inflight?: InflightTracker,
  ) {}

  async begin(request: HuntRunRequest, requester: Requester): Promise<HuntRun> {
    const run = this.runner.start(request, requester);
    await this.registry.save(run);
    return run;
  }

  finishInBackground(run: HuntRun, request: HuntRunRequest, target: CardTarget): void {
    const work = this.finish(run, request, target).finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Resolves when every background hunt has published its result (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private async finish(run: HuntRun, request: HuntRunRequest, target: CardTarget): Promise<void> {
    const started = Date.now();
    await this.inflight?.add(run.runId, target).catch((error) =>
      this.logger.warn({ event: 'inflight-mark-failed', runId: run.runId, err: String(error) }, 'could not record the running hunt'),
    );
    const done = await this.runner.complete(run, request);
    await this.registry.save(done).catch((error) =>
      this.logger.error({ event: 'run-save-failed', correlationId: done.correlationId, err: String(error) }, 'could not store the finished run'),
    );
    this.logger.info(
      {
        event: 'hunt',
        correlationId: done.correlationId,
        runId: done.runId,
        user: done.requestedBy.aadObjectId || done.requestedBy.id,
        hunt: done.huntKey,
        kind: done.kind,
        window: done.windowText,
        backend: done.backend,
        durationMs: Date.now() - started,
        rows: done.queries.reduce((n, q) => n + q.rowCount, 0),
        devices: done.hits.length,
        outcome: done.status === 'done' ? 'ok' : done.failure?.kind,
      },
      'hunt finished',
    );
    try {
      await this.publisher.update(target, resultCard(done));
    } catch (error) {
      this.logger.error({ event: 'card-update-failed', correlationId: done.correlationId, err: String(error) }, 'could not update the hunt card');
    }
    await this.inflight?.remove(run.runId).catch(() => undefined);
  }
}
