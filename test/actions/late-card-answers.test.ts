import { lateFailureText, lateOutcomeText } from '../../src/actions/late-card-answers';

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
