import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';

describe('the lookup deadline setting (HUNT_LOOKUP_DEADLINE_SECONDS)', () => {
  it('defaults to two minutes, one query time limit’s worth', () => {
    expect(loadConfig({}).lookup).toEqual({ deadlineSeconds: 120 });
  });

  it('is read from the environment', () => {
    expect(loadConfig({ HUNT_LOOKUP_DEADLINE_SECONDS: '45' }).lookup.deadlineSeconds).toBe(45);
  });

  it.each(['0', '4', '3601', '1.5', 'soon', '-10'])('refuses %s, naming the setting and its range', (value) => {
    expect(problemsOf({ HUNT_LOOKUP_DEADLINE_SECONDS: value })).toEqual([`HUNT_LOOKUP_DEADLINE_SECONDS must be a whole number from 5 to 3600 (got "${value}")`]);
  });
});
