import { answerInTime, lateFailureText, lateOutcomeText } from '../../src/actions/late-card-answers';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('a card press answered in time or later', () => {
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

describe('the note posted when a change outlasted Teams\' wait', () => {
  it('names who pressed and says what happened in the handler\'s words', () => {
    const text = lateOutcomeText('Alice', { forClicker: { card: { type: 'AdaptiveCard' } }, outcome: 'Tagged fin-ws-001 as benign for rmm/desktopnow.' });
    expect(text).toBe('Alice: Tagged fin-ws-001 as benign for rmm/desktopnow. (finished after Teams stopped waiting for the button)');
  });

  it('falls back to the message the clicker would have seen', () => {
    expect(lateOutcomeText('Bob', { forClicker: { message: 'Only the person who started this hunt can cancel it.' } })).toContain(
      'Bob: Only the person who started this hunt can cancel it.',
    );
  });

  it('keeps invisible characters and line breaks of names out of the note', () => {
    const text = lateOutcomeText('Ev\u202Eil\nName', { forClicker: { message: 'ok\u200B' } });
    expect(text.startsWith('Evil Name: ok (finished')).toBe(true);
  });

  it('says what failed with a correlation id, without claiming whether it landed', () => {
    const text = lateFailureText('Alice', new Error('ARM answered 500'), 'c0ffee00-0000-4000-8000-000000000000');
    expect(text).toBe(
      'Alice: your button press failed after Teams stopped waiting for it: ARM answered 500. Check the card before trying again. (correlation id c0ffee00-0000-4000-8000-000000000000)',
    );
  });
});
