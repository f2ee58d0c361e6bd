import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';

describe('expiring-tags notice settings', () => {
  it('default to 08:00 UTC and a 7-day window', () => {
    expect(loadConfig({}).tagExpiry).toEqual({ daily: true, noticeHourUtc: 8, noticeDays: 7 });
  });

  it('are read from the environment', () => {
    expect(loadConfig({ HUNT_EXPIRY_NOTICES: 'off', HUNT_EXPIRY_NOTICE_HOUR_UTC: '0', HUNT_EXPIRY_NOTICE_DAYS: '14' }).tagExpiry).toEqual({
      daily: false,
      noticeHourUtc: 0,
      noticeDays: 14,
    });
  });

  it('refuse an unknown switch, an hour outside the day and a window of no days, naming each', () => {
    expect(problemsOf({ HUNT_EXPIRY_NOTICES: 'sometimes', HUNT_EXPIRY_NOTICE_HOUR_UTC: '24', HUNT_EXPIRY_NOTICE_DAYS: '0' })).toEqual([
      expect.stringContaining('HUNT_EXPIRY_NOTICES must be on or off'),
      expect.stringContaining('HUNT_EXPIRY_NOTICE_HOUR_UTC must be a whole number from 0 to 23'),
      expect.stringContaining('HUNT_EXPIRY_NOTICE_DAYS must be a whole number from 1 to 90'),
    ]);
  });
});
