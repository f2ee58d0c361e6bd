import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';

describe('the card answer setting (HUNT_CARD_ANSWER_SECONDS)', () => {
  it('defaults to 8 s, inside the 10–15 s Teams waits for a button', () => {
    expect(loadConfig({}).bot.cardAnswerSeconds).toBe(8);
  });

  it('is read from the environment', () => {
    expect(loadConfig({ HUNT_CARD_ANSWER_SECONDS: '3' }).bot.cardAnswerSeconds).toBe(3);
  });

  it.each(['0', '15', '2.5', 'soon'])('refuses %s, naming the setting and its range', (value) => {
    expect(problemsOf({ HUNT_CARD_ANSWER_SECONDS: value })).toEqual([`HUNT_CARD_ANSWER_SECONDS must be a whole number from 1 to 14 (got "${value}")`]);
  });
});
