import type { HuntRun, RunningHuntRun } from '../../src/domain/hunt-run';

/** The same run as it looked while it was still running: no finish time, no failure. */
export function stillRunning({ finishedAt: _finishedAt, failure: _failure, ...fields }: HuntRun): RunningHuntRun {
  return { ...fields, status: 'running' };
}
