import type { HuntRunRequest } from '../domain/hunt-request';
import type { Requester } from '../domain/requester';
import { resultCard, runningCard } from '../cards/run-cards';
import { sharedCardRenderStats } from '../cards/shared-card-render';
import type { Logger } from '../logging/logger';
import { huntFlightKey, QueryScheduler, SingleFlight } from '../scheduling';
import { LoopTurns } from '../scheduling/loop-turns';
import { answerInTime } from '../scheduling/answer-in-time';
import type { ForegroundRequests } from '../scheduling/foreground-requests';
import type { DoneHuntRun, FailedHuntRun, HuntRun, RunningHuntRun } from '../domain/hunt-run';
import { HuntLimit } from './hunt-limit';
import type { HuntQueryOutcome, HuntRunner } from './hunt-runner';
import type { CardPublisher, CardTarget } from './card-publisher';
import type { ConversationMembers } from './conversation-members';
import type { InflightTracker } from './inflight-tracker';
import { PhaseStats, type HuntPhase } from './phase-stats';
import { QueuePositionUpdates } from './queue-position-updates';
import type { RunRegistry } from './run-registry';
import { userErrorText } from '../text/user-error';
import { countOf } from '../text/count-text';

export interface RunServiceOptions {
  /** Shares the backend fairly: global and per-user limits on concurrent queries. */
  scheduler?: QueryScheduler;
  /** Identical hunts in flight (or finished within its TTL) share one backend run. */
  flights?: SingleFlight<string, HuntQueryOutcome>;
  inflight?: InflightTracker;
  /** Hunts one person may have waiting or running at once; begin() refuses more (default 5). */
  maxQueuedPerUser?: number;
  /** A waiting card's place in line is updated at most this often (default 5 s). */
  positionUpdateMs?: number;
  /** A hunt that waits less than this (default 1 s) keeps its first card; after it, the card shows its place in line. */
  positionGraceMs?: number;
  now?: () => number;
  /** The conversation's members become the result card's refresh `userIds`; without it, only the people who acted. */
  members?: ConversationMembers;
  /** The Teams requests being answered: a finished hunt's steps wait for them (bounded), so new running cards go first. */
  foreground?: ForegroundRequests;
}

/**
 * Starts hunts and finishes them in the background: the running card goes out at once (Teams
 * gives a turn 10–15 s), shows its place in the queue, and is replaced by the result when done.
 */
export class RunService {
  private readonly pending = new Set<Promise<void>>();
  private readonly controllers = new Map<string, { controller: AbortController; requesterId: string }>();
  private readonly scheduler: QueryScheduler;
  private readonly flights: SingleFlight<string, HuntQueryOutcome>;
  private readonly now: () => number;
  private readonly limit: HuntLimit;
  /** Backend runs actually started (shared and cached hunts do not add to it). */
  private backendRuns = 0;
  /** The bot's own work per hunt once the backend answered (bench:bot prints the split). */
  private readonly phases = new PhaseStats();
  private readonly turns: LoopTurns;

  constructor(
    private readonly runner: HuntRunner,
    private readonly registry: RunRegistry,
    private readonly publisher: CardPublisher,
    private readonly logger: Logger,
    private readonly backendName: string,
    private readonly options: RunServiceOptions = {},
  ) {
    this.scheduler = options.scheduler ?? new QueryScheduler();
    this.flights = options.flights ?? new SingleFlight<string, HuntQueryOutcome>();
    this.now = options.now ?? Date.now;
    this.limit = new HuntLimit(options.maxQueuedPerUser ?? 5);
    this.turns = new LoopTurns(options.foreground);
  }

  /**
   * The run as its running card shows it, counted against the person's hunts in progress until it
   * finishes (or is abandoned). Throws HuntLimitReached, before anything is stored, when they have too many.
   */
  async begin(request: HuntRunRequest, requester: Requester, command?: string): Promise<RunningHuntRun> {
    const run = { ...this.runner.start(request, requester), command };
    this.limit.take(userOf(run), run.runId);
    try {
      await this.phases.time('begin', () => this.registry.save(run));
    } catch (error) {
      this.abandon(run);
      throw error;
    }
    return run;
  }

  /** A phase of a hunt timed by the bot layer (posting the running card), for the totals on /healthz. */
  recordPhase(phase: HuntPhase, ms: number): void {
    this.phases.record(phase, ms);
  }

  /** Gives back the place of a begun run whose running card could not be posted. */
  abandon(run: HuntRun): void {
    this.limit.release(userOf(run), run.runId);
  }

  /** Runs the hunt after the running card is posted; `fresh` skips a recently cached result ("Run again"). */
  finishInBackground(run: RunningHuntRun, request: HuntRunRequest, target: CardTarget, options: { fresh?: boolean } = {}): void {
    const work = this.finish(run, request, target, options.fresh === true)
      .catch((error: unknown) => this.logger.error({ event: 'hunt-finish-failed', correlationId: run.correlationId, err: error }, 'a background hunt failed unexpectedly'))
      .finally(() => {
        this.abandon(run);
        this.pending.delete(work);
      });
    this.pending.add(work);
  }

  /** Cancels a waiting or running hunt of this instance; only the person who started it may. */
  cancel(runId: string, requester: Requester): 'cancelled' | 'not-running' | 'not-yours' {
    const entry = this.controllers.get(runId);
    if (!entry) return 'not-running';
    if (entry.requesterId !== (requester.aadObjectId || requester.id)) return 'not-yours';
    entry.controller.abort();
    return 'cancelled';
  }

  /** Resolves when every background hunt has published its result (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * The run with its conversation's members for the card's refresh; a failed read is logged and never fails the
   * card. The card waits for them at most AUDIENCE_WAIT_MS: a throttled read (three retries after up to 30 s each)
   * would otherwise hold the hunt's result for minutes. A read still going on is kept for the next card.
   */
  private async withAudience<T extends DoneHuntRun | FailedHuntRun>(done: T, target: CardTarget): Promise<T> {
    if (!this.options.members || done.status !== 'done') return done;
    try {
      const audience = await answerInTime(this.options.members.userIds(target.conversation, AUDIENCE_MAX), AUDIENCE_WAIT_MS);
      if (audience.inTime) return { ...done, audience: audience.value };
      this.logger.warn(
        { event: 'conversation-members-slow', correlationId: done.correlationId, runId: done.runId, waitedMs: AUDIENCE_WAIT_MS },
        'the conversation members were not read in time; the card refreshes for the people who acted on the run',
      );
      return done;
    } catch (error) {
      this.logger.warn(
        // The status and message only: a connector error carries its request, Authorization header included.
        { event: 'conversation-members-unreadable', correlationId: done.correlationId, runId: done.runId, status: statusOf(error), reason: userErrorText(error, 200) },
        'could not read the conversation members; the card refreshes for the people who acted on the run',
      );
      return done;
    }
  }

  stats() {
    return {
      runningHunts: this.pending.size,
      backendRuns: this.backendRuns,
      queries: this.scheduler.stats(),
      sharedResults: this.flights.stats(),
      phases: this.phases.snapshot(),
      cardRenders: sharedCardRenderStats(),
      ...(this.options.foreground ? { foreground: this.options.foreground.stats() } : {}),
    };
  }

  private async finish(run: RunningHuntRun, request: HuntRunRequest, target: CardTarget, fresh: boolean): Promise<void> {
    const started = this.now();
    const user = userOf(run);
    const controller = new AbortController();
    this.controllers.set(run.runId, { controller, requesterId: user });
    // The marker is written while the backend runs (a journal write waits for the disk); it is on record before the result is published.
    const marked = this.options.inflight?.add(run.runId, target).catch((error) =>
      this.logger.warn({ event: 'inflight-mark-failed', runId: run.runId, err: error }, 'could not record the running hunt'),
    );

    const positions = new QueuePositionUpdates(
      (position) => this.publisher.update(target, runningCard(run, { queuePosition: position })),
      this.options.positionUpdateMs ?? 5_000,
      this.now,
      this.options.positionGraceMs ?? 1_000,
    );
    const onPosition = (position: number) => positions.report(position);
    const key = huntFlightKey({
      backend: this.backendName,
      huntIds: request.hunts.map((h) => h.id),
      parameters: flightParameters(run.huntKey, request),
      windowStart: run.windowStart,
      windowEnd: run.windowEnd,
    });
    const flight = this.flights.run(
      key,
      (signal) =>
        this.scheduler.schedule(
          user,
          (taskSignal) => {
            const query = () => {
              this.backendRuns++;
              return this.runner.query(run, request, taskSignal);
            };
            // A burst's running cards first: its queries start once the Teams requests being answered are (bounded).
            return this.options.foreground ? this.options.foreground.startAfter(query, taskSignal) : query();
          },
          { signal, onPosition },
        ),
      { signal: controller.signal, fresh },
    );
    let done: DoneHuntRun | FailedHuntRun;
    try {
      const outcome = await flight.promise;
      // Many hunts finish together when they shared a run: each takes its own loop iteration, so new messages are read between them.
      await this.turns.next();
      const reuse = flight.shared
        ? { kind: flight.cachedAt ? ('cached' as const) : ('joined' as const), producedAt: (flight.cachedAt ?? new Date(this.now())).toISOString() }
        : undefined;
      done = await this.runner.finish(run, request, outcome, reuse, (phase, ms) => this.phases.record(phase, ms));
    } catch (error) {
      // The card shows a path-free summary; the full error (stack included) is logged under the card's correlation id.
      this.logger.warn({ event: 'hunt-failed', correlationId: run.correlationId, runId: run.runId, err: error }, 'hunt failed');
      done = this.runner.fail(run, error);
    } finally {
      this.controllers.delete(run.runId);
      await positions.stop();
      await marked;
    }

    done = await this.withAudience(done, target);
    await this.phases.time('save', () => this.registry.save(done)).catch((error) =>
      this.logger.error({ event: 'run-save-failed', correlationId: done.correlationId, err: error }, 'could not store the finished run'),
    );
    this.logger.info(
      {
        event: 'hunt',
        correlationId: done.correlationId,
        runId: done.runId,
        user,
        // A lookup's key holds the entity asked about (message text): the log names the lookup and the entity's type only.
        hunt: done.entity ? done.huntKey.slice(0, done.huntKey.indexOf(':')) : done.huntKey,
        ...(done.entity ? { entityType: done.entity.type } : {}),
        kind: done.kind,
        window: done.windowText,
        backend: done.backend,
        durationMs: this.now() - started,
        rows: done.queries.reduce((n, q) => n + q.rowCount, 0),
        devices: done.hits.length,
        hidden: done.hidden.length,
        shared: done.reuse?.kind ?? 'no',
        outcome: done.status === 'done' ? 'ok' : done.failure?.kind,
      },
      'hunt finished',
    );
    try {
      // The card PUT is the costliest step left (a connector call); requests that arrived meanwhile go first.
      await this.turns.next();
      const card = await this.phases.time('render', () => resultCard(done));
      await this.phases.time('put', () => this.publisher.update(target, card));
    } catch (error) {
      this.logger.error({ event: 'card-update-failed', correlationId: done.correlationId, err: error }, 'could not update the hunt card');
      await this.publisher
        .notify?.(target, cardUpdateFailedNote(done, error))
        .catch((noteError: unknown) =>
          this.logger.error({ event: 'card-note-failed', correlationId: done.correlationId, err: noteError }, 'could not post the card-update note either'),
        );
    }
    await this.options.inflight?.remove(run.runId).catch(() => undefined);
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Teams refreshes a card automatically for at most this many named people. */
const AUDIENCE_MAX = 60;
/** A member read takes a fraction of a second; one still going after this is throttled or stuck. */
const AUDIENCE_WAIT_MS = 5_000;
/** The one note posted when a result card cannot be updated: what, that the result is kept, and the correlation id. */
function cardUpdateFailedNote(run: HuntRun, error: unknown): string {
  const outcome = run.status === 'done' ? `The hunt finished (${countOf(run.hits.length, 'device')})` : 'The hunt ended with an error';
  const again = run.command ? `run "${run.command}" again to see it` : 'run the hunt again to see it';
  return `Could not update the hunt card for ${run.title}: ${userErrorText(error, 120)}. ${outcome} and the result is kept; ${again}. (correlation id ${run.correlationId})`;
}

/**
 * What besides the hunts and the minute-cut window makes two runs the same. A relative window's key is
 * unchanged; an absolute window never shares with a relative one (nor with one starting a second
 * earlier), and a scoped run only with runs scoped to the same device.
 */
function flightParameters(huntKey: string, request: HuntRunRequest): Record<string, unknown> {
  const range = request.window.range;
  return {
    huntKey,
    ...(range ? { absolute: { start: range.start.toISOString(), end: range.endsNow ? 'now' : range.end.toISOString() } } : {}),
    ...(request.scope ? { device: request.scope.device.toLowerCase() } : {}),
  };
}

function userOf(run: HuntRun): string {
  return run.requestedBy.aadObjectId || run.requestedBy.id;
}
