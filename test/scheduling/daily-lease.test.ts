import { MemoryStorage } from 'botbuilder';
import { StorageStateStore } from '../../src/bot/storage-state-store';
import { DailyLease } from '../../src/scheduling/daily-lease';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { StateConflictError, type StateStore } from '../../src/state/state-store';

const TTL = 10 * 60_000;
const AT = new Date('2026-12-03T08:00:00.000Z');
const later = (ms: number) => new Date(AT.getTime() + ms);

const stores: Array<[string, () => StateStore]> = [
  ['memory state', () => new MemoryStateStore()],
  ['botbuilder Storage state (the adapter Blob state uses)', () => new StorageStateStore(new MemoryStorage())],
];

describe.each(stores)('the daily job lease over %s', (_name, makeStore) => {
  const contenders = () => {
    const state = makeStore();
    return [new DailyLease(state, 'job/lease', 'A', TTL), new DailyLease(state, 'job/lease', 'B', TTL)] as const;
  };

  it('lets exactly one of two instances claiming at the same moment win', async () => {
    const [a, b] = contenders();
    const claims = await Promise.all([a.claim(AT), b.claim(AT)]);
    expect(claims.filter((c) => c.kind === 'won')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'held-elsewhere')).toHaveLength(1);
  });

  it('keeps the lease from another instance until it expires, then lets it be taken over', async () => {
    const [a, b] = contenders();
    expect((await a.claim(AT)).kind).toBe('won');
    expect(await b.claim(later(TTL - 1000))).toEqual({ kind: 'held-elsewhere', holder: 'A' });
    const takeover = await b.claim(later(TTL + 1000));
    expect(takeover.kind).toBe('won');
  });

  it('refuses the old holder\'s completion once its expired lease was taken over', async () => {
    const [a, b] = contenders();
    const first = await a.claim(AT);
    if (first.kind !== 'won') throw new Error('A should have won');
    await b.claim(later(TTL + 1000));
    await expect(a.complete(first, later(TTL + 2000))).rejects.toBeInstanceOf(StateConflictError);
  });

  it('does not run a day twice: after one instance completes, the other finds the day done; the next day is claimable', async () => {
    const [a, b] = contenders();
    const won = await a.claim(AT);
    if (won.kind !== 'won') throw new Error('A should have won');
    await a.complete(won, later(1000));
    expect(await b.claim(later(2000))).toEqual({ kind: 'already-done', day: '2026-12-03' });
    expect((await b.claim(later(86_400_000))).kind).toBe('won');
  });

  it('lets a released lease (a failed run) be claimed again the same day', async () => {
    const [a, b] = contenders();
    const won = await a.claim(AT);
    if (won.kind !== 'won') throw new Error('A should have won');
    await a.release(won, later(1000));
    expect((await b.claim(later(2000))).kind).toBe('won');
  });

  it('renews a held lease so it is not taken over while the job still runs', async () => {
    const [a, b] = contenders();
    const won = await a.claim(AT);
    if (won.kind !== 'won') throw new Error('A should have won');
    await a.renew(won, later(TTL - 1000));
    expect((await b.claim(later(TTL + 1000))).kind).toBe('held-elsewhere');
  });
});
