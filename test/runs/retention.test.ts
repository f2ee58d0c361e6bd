import type { DoneHuntRun, HuntRunFields } from '../../src/domain/hunt-run';
import { RunRetention } from '../../src/runs/retention';
import { finishedRun, stillRunning } from '../support/run-fixtures';

let ids = 0;
function run(owner: string, overrides: Partial<HuntRunFields> = {}): DoneHuntRun {
  return finishedRun({
    runId: `run-${++ids}`,
    correlationId: 'c',
    title: 't',
    windowStart: '2026-01-01T00:00:00.000Z',
    windowEnd: '2026-01-06T00:00:00.000Z',
    backend: 'local',
    backendDescription: 'local',
    requestedBy: { id: `29:${owner}`, name: owner, aadObjectId: `aad-${owner}` },
    startedAt: '2026-01-06T00:00:00.000Z',
    finishedAt: '2026-01-06T00:00:01.000Z',
    ...overrides,
  });
}
const window = (hours: number) => ({ windowStart: new Date(Date.UTC(2026, 0, 6) - hours * 3_600_000).toISOString() });
const cached = { reuse: { kind: 'cached' as const, producedAt: '2026-01-06T00:00:00.000Z' } };

describe('RunRetention', () => {
  it('over capacity, drops the oldest finished run of whoever holds the most', () => {
    const retention = new RunRetention({ capacity: 5 });
    const bobs = run('bob');
    retention.keep(bobs);
    const alices = Array.from({ length: 4 }, (_, i) => run('alice', window(i + 1)));
    for (const r of alices) expect(retention.keep(r)).toEqual([]);
    expect(retention.keep(run('alice', window(9)))).toEqual([alices[0].runId]);
    expect(retention.keep(run('carol'))).toEqual([alices[1].runId]);
    expect(retention.size).toBe(5);
  });

  it('prefers a finished run over one still running, and never drops the run being kept', () => {
    const retention = new RunRetention({ capacity: 2 });
    const running = stillRunning(run('alice'));
    const finished = run('alice', window(2));
    retention.keep(running);
    retention.keep(finished);
    const latest = run('alice', window(3));
    expect(retention.keep(latest)).toEqual([finished.runId]);
    // Saving the same run again (running, then done) is one run, not two.
    expect(retention.keep({ ...running, status: 'done', finishedAt: '2026-01-06T00:00:01.000Z' })).toEqual([]);
    expect(retention.size).toBe(2);
  });

  it('keeps one reused copy per person and identical hunt, besides the run that produced it', () => {
    const retention = new RunRetention();
    const original = run('alice');
    retention.keep(original);
    const first = run('alice', cached);
    expect(retention.keep(stillRunning({ ...first, reuse: undefined }))).toEqual([]);
    expect(retention.keep(first)).toEqual([]);
    const second = run('alice', cached);
    expect(retention.keep(second)).toEqual([first.runId]);
    // Someone else's copy, and another window, are theirs to keep.
    expect(retention.keep(run('bob', cached))).toEqual([]);
    expect(retention.keep(run('alice', { ...cached, ...window(7) }))).toEqual([]);
    expect(retention.size).toBe(4);
  });
});
