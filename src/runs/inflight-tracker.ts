import { randomUUID } from 'node:crypto';
import { errorCard } from '../cards/run-cards';
import type { Logger } from '../logging/logger';
import { updateState, type StateStore } from '../state/state-store';
import type { RunRegistry } from './run-registry';
import type { CardPublisher, CardTarget } from './card-publisher';

/** A hunt some instance is running, with where its card lives. */
export interface InflightMarker {
  runId: string;
  instanceId: string;
  target: CardTarget;
  startedAt: string;
}

const INDEX_KEY = 'inflight/index';
const heartbeatKey = (instanceId: string) => `instances/${instanceId}`;

export interface InflightTrackerOptions {
  heartbeatMs?: number;
  /** An instance whose heartbeat is older than this is considered gone (crashed or restarted). */
  staleAfterMs?: number;
  /**
   * The store belongs to this process alone (memory mode's journal file, held under a ProcessLock):
   * every other instance's marker was left by a process that is gone, whatever its last heartbeat.
   */
  exclusive?: boolean;
  now?: () => number;
}

/**
 * Remembers running hunts in the shared state store so that, when an instance dies mid-hunt, a
 * surviving or restarted instance replaces the "running" card with "interrupted" instead of leaving
 * it running forever.
 */
export class InflightTracker {
  readonly instanceId = randomUUID();
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly exclusive: boolean;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  /** Index changes not yet written, in the order made. */
  private edits: Array<(markers: InflightMarker[]) => InflightMarker[]> = [];
  /** The index write under way, and the next one (every change made until it starts is in it). */
  private writing?: Promise<void>;
  private queued?: Promise<void>;
  private writes = 0;

  constructor(
    private readonly state: StateStore,
    private readonly runs: RunRegistry,
    private readonly publisher: CardPublisher,
    private readonly logger: Logger,
    options: InflightTrackerOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.staleAfterMs = options.staleAfterMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.exclusive = options.exclusive === true;
  }

  /**
   * Starts the heartbeat and sweeps once now, then at every heartbeat. Sweeps run in the background
   * (marking a card retries while Teams throttles, which must not hold up the start) and never overlap.
   */
  async start(): Promise<void> {
    await this.beat();
    this.sweepInBackground();
    this.timer = setInterval(() => {
      void this.beat()
        .then(() => this.sweepInBackground())
        .catch((error) => this.logger.warn({ event: 'inflight-heartbeat-failed', err: error }, 'in-flight heartbeat failed'));
    }, this.heartbeatMs);
    this.timer.unref();
  }

  private sweepInBackground(): void {
    if (this.sweeping) return;
    this.sweeping = this.sweep()
      .catch((error) => this.logger.warn({ event: 'inflight-sweep-failed', err: error }, 'in-flight sweep failed'))
      .then(() => {
        this.sweeping = undefined;
      });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Resolves once the marker is in the store. */
  add(runId: string, target: CardTarget): Promise<void> {
    const marker: InflightMarker = { runId, instanceId: this.instanceId, target, startedAt: new Date(this.now()).toISOString() };
    return this.change((markers) => [...markers.filter((m) => m.runId !== runId), marker]);
  }

  /** Resolves once the marker is gone from the store. */
  remove(runId: string): Promise<void> {
    return this.change((markers) => markers.filter((m) => m.runId !== runId));
  }

  /** Index writes made (a burst's changes share them), for tests. */
  get indexWrites(): number {
    return this.writes;
  }

  /**
   * Group commit: the index is one record holding every marker, so changing it once per add and remove made
   * a burst of 50 hunts parse and write ~50 markers 100 times (and retry on its own conflicts). Changes made
   * while one index write is under way are applied together, in the order made, by the next write.
   */
  private change(edit: (markers: InflightMarker[]) => InflightMarker[]): Promise<void> {
    this.edits.push(edit);
    if (!this.queued) {
      const previous = this.writing ?? Promise.resolve();
      const next: Promise<void> = previous
        .catch(() => undefined)
        .then(async () => {
          this.queued = undefined;
          this.writing = next;
          const edits = this.edits.splice(0);
          try {
            this.writes++;
            await updateState<InflightMarker[]>(this.state, INDEX_KEY, (current) => edits.reduce((markers, apply) => apply(markers), current ?? []));
          } finally {
            if (this.writing === next) this.writing = undefined;
          }
        });
      this.queued = next;
    }
    return this.queued;
  }

  /** Marks the hunts of gone instances as interrupted, on their cards and in the run registry. */
  async sweep(): Promise<number> {
    const markers = (await this.state.read<InflightMarker[]>(INDEX_KEY))?.value ?? [];
    const orphans: InflightMarker[] = [];
    for (const marker of markers) {
      if (marker.instanceId === this.instanceId) continue;
      if (this.exclusive) {
        orphans.push(marker);
        continue;
      }
      const beat = (await this.state.read<{ at: number }>(heartbeatKey(marker.instanceId)))?.value;
      if (!beat || this.now() - beat.at > this.staleAfterMs) orphans.push(marker);
    }
    for (const marker of orphans) {
      const run = await this.runs.get(marker.runId);
      if (run && run.status === 'running') {
        const failed = {
          ...run,
          status: 'failed' as const,
          finishedAt: new Date(this.now()).toISOString(),
          failure: {
            kind: 'unavailable' as const,
            message: 'This hunt was interrupted: the bot instance running it restarted or stopped.',
            advice: 'Run the hunt again.',
            detail: '',
          },
        };
        await this.runs.save(failed);
      }
      try {
        await this.publisher.update(
          marker.target,
          errorCard(
            `Hunt interrupted${run || marker.target.label ? `: ${run?.title ?? marker.target.label}` : ''}`,
            'The bot instance running this hunt restarted or stopped before it finished.',
            'Run the hunt again.',
            run?.correlationId ?? marker.runId,
          ),
        );
      } catch (error) {
        this.logger.warn({ event: 'interrupted-card-failed', runId: marker.runId, err: error }, 'could not mark a card interrupted');
      }
      await this.remove(marker.runId);
      if (this.exclusive) await this.state.delete(heartbeatKey(marker.instanceId));
      this.logger.info({ event: 'hunt-interrupted', runId: marker.runId, instanceId: marker.instanceId }, 'marked an orphaned hunt as interrupted');
    }
    return orphans.length;
  }

  private async beat(): Promise<void> {
    await this.state.write(heartbeatKey(this.instanceId), { at: this.now() });
  }
}
