import { senderTimeZone } from '../../src/commands/sender-time-zone';
import { requesterFromActivity } from '../../src/bot/requester';

describe('the sender\'s Teams time zone', () => {
  it('comes from activity.localTimezone', () => {
    expect(senderTimeZone({ localTimezone: 'Europe/Berlin' })).toBe('Europe/Berlin');
  });

  it('falls back to the clientInfo entity Teams adds to messages', () => {
    const entities = [{ type: 'mention', text: '<at>HuntBot</at>' }, { type: 'clientInfo', locale: 'en-US', timezone: 'America/New_York' }];
    expect(senderTimeZone({ entities })).toBe('America/New_York');
    expect(senderTimeZone({ localTimezone: 'Asia/Tokyo', entities })).toBe('Asia/Tokyo');
  });

  it.each([{}, { localTimezone: '' }, { localTimezone: 'x'.repeat(65) }, { entities: [{ type: 'clientInfo', timezone: 42 }] }])('is unknown for %p', (activity) => {
    expect(senderTimeZone(activity as Parameters<typeof senderTimeZone>[0])).toBeUndefined();
  });

  it('reaches the requester from the authenticated activity', () => {
    expect(requesterFromActivity({ from: { id: '29:a', name: 'A' }, localTimezone: 'Europe/Berlin' } as never).timeZone).toBe('Europe/Berlin');
  });
});
