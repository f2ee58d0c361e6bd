import { answerInTime } from '../../src/scheduling/answer-in-time';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('work answered in time or later', () => {
  it('gives the value of work that settles in time', async () => {
    await expect(answerInTime(after(5, 'done'), 1_000)).resolves.toEqual({ inTime: true, value: 'done' });
  });

  it('passes on a failure that comes in time', async () => {
    await expect(answerInTime(Promise.reject(new Error('store down')), 1_000)).rejects.toThrow('store down');
  });

  it('hands back work still going when the time is up, and that work still finishes', async () => {
    const answer = await answerInTime(after(60, 'saved'), 10);
    expect(answer.inTime).toBe(false);
    if (answer.inTime) return;
    await expect(answer.later).resolves.toBe('saved');
  });

  it('treats time already spent (a budget at or below zero) as up', async () => {
    const answer = await answerInTime(after(20, 'x'), -5);
    expect(answer.inTime).toBe(false);
  });
});
