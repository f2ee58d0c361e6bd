import type { Logger } from '../logging/logger';
import type { HuntRun } from '../domain/hunt-run';
import type { RunRegistry } from '../runs/run-registry';
import { StateConflictError } from '../state/state-store';
import type { Exclusion } from '../stores/exclusion-store';
import { sameTags, tagsFingerprint, withStoreTags } from './run-tags';

/**
 * Replaces the shared result message with a card rendered from this run (the action layer renders and sends it).
 * `card` names the message it replaces, so writers refreshed together publish to each message once.
 */
export type PublishRun = ((run: HuntRun) => Promise<void>) & { readonly card?: string };

/** What could not be brought in line with the store after a write that landed. */
export type RefreshProblem = 'tags-unreadable' | 'run-state' | 'card';

export interface RefreshResult {
  /** The run as the store says it is now (or, if the store could not be read back, with the write applied). */
  run: HuntRun;
  problems: RefreshProblem[];
}

/** Enough rounds for concurrent taggers of one card to settle; each round costs two store reads. */
const MAX_ROUNDS = 3;

export interface TagRefreshDeps {
  runs: RunRegistry;
  activeTags(huntKey: string): Promise<Exclusion[]>;
  logger: Logger;
}

/**
 * After a tag write landed: re-reads the store, stores the run with those tags and publishes it, then
 * reads the store again; if someone changed a tag of this hunt meanwhile, repeats (bounded). Writers in this
 * process are refreshed one at a time per run (run-refresh-queue.ts); the re-reads catch writes made
 * elsewhere (another instance, the CLI) while a refresh ran. Never throws; what failed is reported so the
 * clicker can be told, but it never changes whether the write counts as saved.
 */
export async function refreshAfterWrite(
  deps: TagRefreshDeps,
  run: HuntRun,
  withWriteOnly: (run: HuntRun) => HuntRun,
  publish?: PublishRun,
): Promise<RefreshResult> {
  let tags = await readTags(deps, run.huntKey);
  let current = run;
  for (let round = 1; ; round++) {
    const problems: RefreshProblem[] = tags ? [] : ['tags-unreadable'];
    const view = tags ? (r: HuntRun) => withStoreTags(r, tags!) : withWriteOnly;
    const stored = await storeRun(deps, run.runId, view);
    if (stored === 'failed') problems.push('run-state');
    current = stored === 'failed' ? view(current) : stored ?? view(current);
    if (publish) {
      try {
        await publish(current);
      } catch (error) {
        problems.push('card');
        deps.logger.warn({ event: 'tag-card-refresh-failed', runId: run.runId, err: error }, 'could not refresh the shared result card');
      }
    }
    if (!tags || round >= MAX_ROUNDS) return { run: current, problems };
    const again = await readTags(deps, run.huntKey);
    if (!again || tagsFingerprint(again) === tagsFingerprint(tags)) return { run: current, problems };
    tags = again;
  }
}

async function readTags(deps: TagRefreshDeps, huntKey: string): Promise<Exclusion[] | undefined> {
  try {
    return await deps.activeTags(huntKey);
  } catch (error) {
    deps.logger.warn({ event: 'tag-read-back-failed', huntKey, err: error }, 'could not read the tags back after a write');
    return undefined;
  }
}

/** Extra tries, after a short random pause each, when every retry of an update lost to other writers. */
const STORE_TRIES = 4;

/**
 * Stores the run with `view` applied. Many taggers of one card contend for the one stored run, and each
 * update retries only while others keep winning; so a lost update is tried again after a random pause.
 * It also counts as done when what is stored already shows the same tags (someone else's refresh stored
 * the same store view).
 */
async function storeRun(deps: TagRefreshDeps, runId: string, view: (run: HuntRun) => HuntRun): Promise<HuntRun | undefined | 'failed'> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.runs.update(runId, view);
    } catch (error) {
      const latest = await deps.runs.get(runId).catch(() => undefined);
      if (latest && sameTags(latest, view(latest))) return latest;
      if (attempt >= STORE_TRIES || !(error instanceof StateConflictError)) {
        deps.logger.warn({ event: 'tag-run-state-failed', runId, err: error }, 'could not store the tags on the run');
        return 'failed';
      }
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 180 * attempt));
    }
  }
}
