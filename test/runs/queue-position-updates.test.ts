import { QueuePositionUpdates } from '../../src/runs/queue-position-updates';

describe('QueuePositionUpdates', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  function tracker(intervalMs = 5000) {
    const sent: number[] = [];
    const updates = new QueuePositionUpdates(
      async (position) => {
        sent.push(position);
      },
      intervalMs,
      () => Date.now(),
    );
    return { sent, updates };
  }

  it('shows the first place in line at once, then at most one change per interval, and only the latest', async () => {
    const { sent, updates } = tracker();
    updates.report(40);
    for (let p = 39; p >= 20; p--) updates.report(p);
    await jest.advanceTimersByTimeAsync(4999);
    expect(sent).toEqual([40]);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([40, 20]);
    for (let p = 19; p >= 1; p--) updates.report(p);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(sent).toEqual([40, 20, 1]);
  });

  it('keeps the first card for a hunt that starts within the grace, and shows the place in line once it has waited that long', async () => {
    const sent: number[] = [];
    const quick = new QueuePositionUpdates(async (p) => void sent.push(p), 5000, () => Date.now(), 1000);
    quick.report(12);
    await jest.advanceTimersByTimeAsync(999);
    quick.report(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual([]);

    const slow = new QueuePositionUpdates(async (p) => void sent.push(p), 5000, () => Date.now(), 1000);
    slow.report(12);
    slow.report(9);
    await jest.advanceTimersByTimeAsync(999);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([9]);
    slow.report(0);
    await jest.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([9, 0]);
  });

  it('sends nothing when the place in line is back to what the card shows, or never changed', async () => {
    const { sent, updates } = tracker();
    updates.report(0);
    expect(sent).toEqual([]);
    updates.report(3);
    await jest.advanceTimersByTimeAsync(0);
    updates.report(2);
    updates.report(3);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual([3]);
  });

  it('sends nothing after stop, so a late place in line never overwrites the result', async () => {
    const { sent, updates } = tracker();
    updates.report(5);
    await jest.advanceTimersByTimeAsync(0);
    updates.report(0);
    await updates.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual([5]);
  });

  it('waits for an update already on its way before stop resolves', async () => {
    let finish!: () => void;
    const order: string[] = [];
    const updates = new QueuePositionUpdates(
      (position) =>
        new Promise<void>((resolve) => {
          order.push(`start ${position}`);
          finish = () => {
            order.push(`end ${position}`);
            resolve();
          };
        }),
      5000,
    );
    updates.report(2);
    await Promise.resolve();
    const stopped = updates.stop().then(() => order.push('stopped'));
    await Promise.resolve();
    finish();
    await stopped;
    expect(order).toEqual(['start 2', 'end 2', 'stopped']);
  });
});
