import { reproducingCommand, handleHunt, type HuntCommandContext } from '../../src/commands/hunt-command';
import type { CommandReply } from '../../src/commands/command-reply';
import type { HuntRunRequest } from '../../src/domain/hunt-request';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const NOW = new Date('2026-12-03T16:30:00Z');
const DAY = 86_400_000;

function reply(text: string, context: HuntCommandContext = {}): CommandReply {
  const raw = text.split(' ').slice(1);
  return handleHunt(catalog, { words: raw.map((w) => w.toLowerCase()), raw }, { now: NOW, ...context });
}

function request(text: string, context: HuntCommandContext = {}): HuntRunRequest {
  const answer = reply(text, context);
  if (answer.kind !== 'run-hunt') throw new Error(`expected a hunt for "${text}", got ${JSON.stringify(answer)}`);
  return answer.request;
}

function refusal(text: string, context: HuntCommandContext = {}): string {
  const answer = reply(text, context);
  if (answer.kind !== 'text') throw new Error(`expected "${text}" to be refused, got ${answer.kind}`);
  return answer.text;
}

describe('the hunt command', () => {
  describe('with a relative window, as before', () => {
    it('asks for the last 5 days and reproduces itself unchanged', () => {
      const hunt = request('hunt rmm desktopnow 5d');
      expect(hunt.window).toEqual({ text: '5d', ms: 5 * DAY });
      expect(hunt.scope).toBeUndefined();
      expect(reproducingCommand(hunt)).toBe('hunt rmm desktopnow filesig 5d');
    });

    it('still caps at the hunt maximum and reproduces what was asked', () => {
      const hunt = request('hunt rmm anydesk all 90d');
      expect(hunt.window).toEqual({ text: '30d', ms: 30 * DAY });
      expect(hunt.cappedFrom).toBe('90d');
      expect(reproducingCommand(hunt)).toBe('hunt rmm anydesk all 90d');
    });
  });

  describe('with an absolute window', () => {
    it('reads `since` in the sender\'s zone and reproduces it in UTC', () => {
      const hunt = request('hunt rmm any since 2026-12-01T14:05', { timeZone: 'Europe/Berlin' });
      expect(hunt.window.range?.start.toISOString()).toBe('2026-12-01T13:05:00.000Z');
      expect(hunt.window.range?.end).toEqual(NOW);
      expect(reproducingCommand(hunt)).toBe('hunt rmm any network since 2026-12-01T13:05Z');
      // Whoever presses Run again, in whatever zone, asks for the same start.
      const again = request(reproducingCommand(hunt), { timeZone: 'America/New_York' });
      expect(again.window.range?.start).toEqual(hunt.window.range?.start);
    });

    it('takes the kind before or after a two-word range', () => {
      for (const text of ['hunt rmm anydesk network 2026-12-01 09:00..2026-12-01 17:00', 'hunt rmm anydesk 2026-12-01 09:00..2026-12-01 17:00 network']) {
        const hunt = request(text, { timeZone: 'America/New_York' });
        expect(hunt.kind).toBe('network');
        expect([hunt.window.range?.start.toISOString(), hunt.window.range?.end.toISOString()]).toEqual(['2026-12-01T14:00:00.000Z', '2026-12-01T22:00:00.000Z']);
      }
    });

    it('keeps the most recent 30 days of a longer absolute window and says what was asked', () => {
      const hunt = request('hunt rmm desktopnow since 2026-09-01T00:00Z');
      expect(hunt.window.ms).toBe(30 * DAY);
      expect(hunt.window.range?.end).toEqual(NOW);
      expect(hunt.cappedFrom).toBe('since 2026-09-01T00:00Z');
      expect(reproducingCommand(hunt)).toBe('hunt rmm desktopnow filesig since 2026-09-01T00:00Z');
    });

    it('refuses a start after the end with the valid forms', () => {
      expect(refusal('hunt rmm any 2026-12-02T00:00Z..2026-12-01T00:00Z')).toMatch(/after it ends.*<n>m.*since <datetime>/);
    });

    it('refuses a second window', () => {
      expect(refusal('hunt rmm any since 2026-12-01T00:00Z 5d')).toContain('one window, not two');
    });
  });

  describe('scoped to one device', () => {
    it('keeps the device as the user wrote it, and reproduces the scope and the window', () => {
      const hunt = request('hunt rmm anydesk all 7d on WS-0042');
      expect(hunt.scope).toEqual({ device: 'WS-0042' });
      expect(hunt.kind).toBe('all');
      expect(reproducingCommand(hunt)).toBe('hunt rmm anydesk all 7d on WS-0042');
    });

    it('works with the default window and with an absolute one', () => {
      expect(request('hunt rmm any on ws-0042').window.text).toBe('5d');
      const hunt = request('hunt rmm any around 2026-12-01T14:05Z ±2h on ws-0042.contoso.local');
      expect(reproducingCommand(hunt)).toBe('hunt rmm any network 2026-12-01T12:05Z..2026-12-01T16:05Z on ws-0042.contoso.local');
    });

    it.each([
      ['hunt rmm any 5d on', 'needs a device name'],
      ['hunt rmm any 5d on ws-1 ws-2', 'one device name'],
      [`hunt rmm any 5d on ${'w'.repeat(300)}`, 'at most 255'],
    ])('refuses "%s" clearly', (text, expected) => {
      expect(refusal(text)).toContain(expected);
    });
  });
});
