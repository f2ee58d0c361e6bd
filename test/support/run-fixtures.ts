import type { DeviceHit, DoneHuntRun, HuntRun, HuntRunFields, RunningHuntRun } from '../../src/domain/hunt-run';

/** A finished DesktopNow run with no hits; tests override what they look at. */
export function finishedRun(overrides: Partial<HuntRunFields> & { finishedAt?: string } = {}): DoneHuntRun {
  return {
    runId: 'run-1',
    correlationId: 'corr-1',
    huntKey: 'rmm/desktopnow',
    title: 'DesktopNow · file signature',
    kind: 'filesig',
    windowText: '5d',
    windowStart: '2026-11-23T00:00:00.000Z',
    windowEnd: '2026-11-28T00:00:00.000Z',
    backend: 'embedded',
    backendDescription: 'embedded engine over test data',
    requestedBy: { id: '29:a', name: 'Alice', aadObjectId: 'a-1' },
    startedAt: '2026-11-28T00:00:00.000Z',
    finishedAt: '2026-11-28T00:00:01.000Z',
    status: 'done',
    queries: [],
    hits: [],
    hidden: [],
    totalEvents: 0,
    scenarios: [],
    ...overrides,
  };
}

/** The same run as it looked while it was still running: no finish time, no failure. */
export function stillRunning({ finishedAt: _finishedAt, failure: _failure, ...fields }: HuntRun): RunningHuntRun {
  return { ...fields, status: 'running' };
}

/** A device seen once (no times, reports or signals) with the given evidence columns; `<id>.contoso.local` by name. */
export function hitWithEvidence(deviceId: string, evidence: Record<string, string[]>): DeviceHit {
  return {
    deviceId,
    deviceName: `${deviceId}.contoso.local`,
    firstSeen: null,
    lastSeen: null,
    count: 1,
    reports: [],
    signals: [],
    evidence: Object.entries(evidence).map(([name, values]) => ({ name, values })),
  };
}
