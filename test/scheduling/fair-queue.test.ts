import { FairQueue } from '../../src/scheduling';

describe('FairQueue', () => {
  it('hands items out round-robin across keys and first-in first-out within a key', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3']) queue.push('alice', item);
    queue.push('bob', 'b1');
    queue.push('carol', 'c1');
    queue.push('bob', 'b2');
    expect(queue.order()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    const taken = [];
    while (queue.size > 0) taken.push(queue.take());
    expect(taken).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('passes over keys that are not eligible and keeps their place for later', () => {
    const queue = new FairQueue<string>();
    queue.push('alice', 'a1');
    queue.push('bob', 'b1');
    queue.push('bob', 'b2');
    expect(queue.take((key) => key !== 'alice')).toBe('b1');
    expect(queue.take()).toBe('a1');
    expect(queue.take((key) => key !== 'bob')).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it('removes a waiting item and reports whether it was there', () => {
    const queue = new FairQueue<string>();
    queue.push('alice', 'a1');
    queue.push('alice', 'a2');
    expect(queue.remove('alice', 'a1')).toBe(true);
    expect(queue.remove('alice', 'a1')).toBe(false);
    expect(queue.remove('bob', 'a2')).toBe(false);
    expect(queue.sizeOf('alice')).toBe(1);
    expect(queue.order()).toEqual(['a2']);
  });

  it('sends a key that ran dry to the back when it comes again', () => {
    const queue = new FairQueue<string>();
    queue.push('alice', 'a1');
    queue.push('bob', 'b1');
    expect(queue.take()).toBe('a1');
    queue.push('alice', 'a2');
    queue.push('carol', 'c1');
    expect(queue.order()).toEqual(['b1', 'a2', 'c1']);
  });
});
