import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';

describe('fairness settings', () => {
  it('default to limits normal use never meets', () => {
    expect(loadConfig({}).fairness).toEqual({ maxQueuedPerUser: 5, messagesPerMinute: 60, messageBurst: 30, maxRetainedRuns: 2000 });
  });

  it('are read from the environment', () => {
    const config = loadConfig({ HUNT_MAX_QUEUED_PER_USER: '3', HUNT_MESSAGES_PER_MINUTE: '120', HUNT_MESSAGE_BURST: '10', HUNT_MAX_RETAINED_RUNS: '500' });
    expect(config.fairness).toEqual({ maxQueuedPerUser: 3, messagesPerMinute: 120, messageBurst: 10, maxRetainedRuns: 500 });
  });

  it('refuse values that would turn a limit off or make no sense, naming each', () => {
    const problems = problemsOf({ HUNT_MAX_QUEUED_PER_USER: '0', HUNT_MESSAGES_PER_MINUTE: 'many', HUNT_MESSAGE_BURST: '-1', HUNT_MAX_RETAINED_RUNS: '5' });
    expect(problems).toEqual([
      expect.stringContaining('HUNT_MAX_QUEUED_PER_USER must be a whole number from 1 to 1000'),
      expect.stringContaining('HUNT_MESSAGES_PER_MINUTE must be a whole number'),
      expect.stringContaining('HUNT_MESSAGE_BURST must be a whole number'),
      expect.stringContaining('HUNT_MAX_RETAINED_RUNS must be a whole number from 10'),
    ]);
  });
});
