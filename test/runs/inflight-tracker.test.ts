import { MemoryStateStore } from '../../src/state/memory-state-store';
import { InflightTracker, type InflightMarker } from '../../src/runs/inflight-tracker';
import { RunRegistry } from '../../src/runs/run-registry';
import { silentLogger } from '../../src/logging/logger';

/** Cards are never touched by marking and unmarking runs. */
const noCards = { update: async () => undefined };
const target = (n: number) => ({ conversation: { conversation: { id: `19:c-${n}` } }, activityId: `a-${n}` });

describe('the in-flight markers of a burst of hunts', () => {
  function tracker(state = new MemoryStateStore()) {
    return { state, tracker: new InflightTracker(state, new RunRegistry(state), noCards, silentLogger) };
  }
  const markers = async (state: MemoryStateStore) => ((await state.read<InflightMarker[]>('inflight/index'))?.value ?? []).map((m) => m.runId).sort();

  it('are all recorded when 50 hunts start at once, in a few shared index writes instead of one each', async () => {
    const { state, tracker: inflight } = tracker();
    await Promise.all(Array.from({ length: 50 }, (_, n) => inflight.add(`run-${String(n).padStart(2, '0')}`, target(n))));

    expect(await markers(state)).toEqual(Array.from({ length: 50 }, (_, n) => `run-${String(n).padStart(2, '0')}`));
    expect(inflight.indexWrites).toBeLessThanOrEqual(2);
  });

  it('are all gone when the same hunts finish at once, and a marker added then removed in one batch stays removed', async () => {
    const { state, tracker: inflight } = tracker();
    await Promise.all([1, 2, 3].map((n) => inflight.add(`run-${n}`, target(n))));
    await Promise.all([inflight.remove('run-1'), inflight.add('run-4', target(4)), inflight.remove('run-4'), inflight.remove('run-2')]);

    expect(await markers(state)).toEqual(['run-3']);
  });

  it('keep another instance\'s markers written to the same index meanwhile', async () => {
    const state = new MemoryStateStore();
    const first = tracker(state).tracker;
    const second = tracker(state).tracker;
    await Promise.all([first.add('run-a', target(1)), second.add('run-b', target(2)), first.add('run-c', target(3)), second.remove('run-x')]);

    expect(await markers(state)).toEqual(['run-a', 'run-b', 'run-c']);
  });
});
