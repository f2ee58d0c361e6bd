import type { HuntRun, HuntRunFields, RunConversation, RunFailure } from '../domain/hunt-run';

/**
 * The shape of the stored run this release writes. Card buttons name runs stored by earlier releases, so
 * every version this code has ever written must stay readable here; a newer one is "no longer available".
 * - 1 (no `schemaVersion`): one `status` with optional `finishedAt` and `failure` whatever the status;
 *   runs stored before the bot recorded where they ran have no `conversation`.
 * - 2: `schemaVersion: 2`, and the status decides the fields: `finishedAt` on done and failed, `failure` on failed.
 */
export const RUN_SCHEMA_VERSION = 2;

/** A run as it is stored: the run and the version of its shape. */
export type StoredRun = HuntRun & { schemaVersion: typeof RUN_SCHEMA_VERSION };

/** Version 1 as it was written, for reading it. */
interface StoredRunV1 extends Omit<HuntRunFields, 'conversation'> {
  conversation?: RunConversation;
  status: HuntRun['status'];
  finishedAt?: string;
  failure?: RunFailure;
}

/** What the failure card said for a failed version-1 run stored without its failure. */
const UNKNOWN_FAILURE: RunFailure = { kind: 'internal', message: 'The hunt failed.', advice: 'Run it again.', detail: '' };

const STATUSES: ReadonlySet<unknown> = new Set<HuntRun['status']>(['running', 'done', 'failed']);

export function toStoredRun(run: HuntRun): StoredRun {
  return { schemaVersion: RUN_SCHEMA_VERSION, ...run };
}

/**
 * A stored run (parsed JSON) as this release uses it, or undefined when it cannot be: not a run, or written
 * by a newer release. Version 2 is version 1 with the status fields made consistent, so one reading serves both.
 */
export function upgradeStoredRun(raw: unknown): HuntRun | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { schemaVersion, ...fields } = raw as Record<string, unknown>;
  if (schemaVersion !== undefined && schemaVersion !== 1 && schemaVersion !== RUN_SCHEMA_VERSION) return undefined;
  // Only what the bot relies on to tell runs apart and render them; the rest is as this bot wrote it.
  const isRun =
    typeof fields.runId === 'string' &&
    STATUSES.has(fields.status) &&
    Array.isArray(fields.hits) &&
    Array.isArray(fields.hidden) &&
    Array.isArray(fields.queries);
  return isRun ? withStatusFields(fields as unknown as StoredRunV1) : undefined;
}

function withStatusFields({ status, finishedAt, failure, ...fields }: StoredRunV1): HuntRun | undefined {
  if (status === 'running') return { ...fields, status };
  // Cards showed a finished run without a finish time as finished when it started.
  const finished = finishedAt ?? fields.startedAt;
  if (typeof finished !== 'string') return undefined;
  if (status === 'done') return { ...fields, status, finishedAt: finished };
  return { ...fields, status, finishedAt: finished, failure: failure ?? UNKNOWN_FAILURE };
}
