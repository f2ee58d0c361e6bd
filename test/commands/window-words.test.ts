import { parseWindowWords, type WindowContext, type WindowWordsParse } from '../../src/commands/window-words';
import { capWindow } from '../../src/commands/window';
import type { HuntWindow } from '../../src/domain/hunt-request';

const HOUR = 3_600_000;
const NOW = new Date('2026-12-03T16:30:00Z');

function parse(text: string, context: Partial<WindowContext> = {}): WindowWordsParse {
  return parseWindowWords(text.split(' '), { now: NOW, ...context });
}

function windowOf(text: string, context: Partial<WindowContext> = {}): { window: HuntWindow; rest: string[] } {
  const parsed = parse(text, context);
  if (!parsed.ok) throw new Error(`expected a window for "${text}", got: ${parsed.message}`);
  if (!parsed.window) throw new Error(`no window found in "${text}"`);
  return { window: parsed.window, rest: parsed.rest };
}

function refusal(text: string, context: Partial<WindowContext> = {}): string {
  const parsed = parse(text, context);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused`);
  return parsed.message;
}

const iso = (window: HuntWindow) => [window.range?.start.toISOString(), window.range?.end.toISOString()];

describe('finding the hunt window among command words', () => {
  describe('relative windows, as before', () => {
    it('reads <n>m|h|d and leaves the other words in order', () => {
      const { window, rest } = windowOf('all 12h');
      expect(window).toEqual({ text: '12h', ms: 12 * HOUR });
      expect(rest).toEqual(['all']);
    });

    it('finds no window in words that have none', () => {
      expect(parse('network')).toEqual({ ok: true, rest: ['network'] });
    });

    it('refuses a malformed relative window with every valid form', () => {
      const message = refusal('5x');
      expect(message).toMatch(/not a time window.*<n>m.*<n>h.*<n>d.*since <datetime>.*<datetime>\.\.<datetime>.*around <datetime> ±<n>h/);
    });
  });

  describe('since <datetime>', () => {
    it('reads a datetime with Z as UTC and ends now', () => {
      const { window, rest } = windowOf('since 2026-12-01T14:05Z all');
      expect(iso(window)).toEqual(['2026-12-01T14:05:00.000Z', NOW.toISOString()]);
      expect(window.range).toMatchObject({ form: 'since', endsNow: true });
      expect(window.ms).toBe(NOW.getTime() - Date.parse('2026-12-01T14:05:00Z'));
      expect(rest).toEqual(['all']);
      expect(window.text).toBe('since 2026-12-01T14:05Z');
    });

    it('takes "2026-12-01 14:05Z" as one datetime written as two words', () => {
      const { window, rest } = windowOf('since 2026-12-01 14:05Z network');
      expect(iso(window)[0]).toBe('2026-12-01T14:05:00.000Z');
      expect(rest).toEqual(['network']);
    });

    it.each([
      ['2026-12-01T14:05+01:00', '2026-12-01T13:05:00.000Z'],
      ['2026-12-01T14:05+0100', '2026-12-01T13:05:00.000Z'],
      ['2026-12-01T14:05+01', '2026-12-01T13:05:00.000Z'],
      ['2026-12-01T14:05-05:00', '2026-12-01T19:05:00.000Z'],
      ['2026-12-01T14:05+05:45', '2026-12-01T08:20:00.000Z'],
      ['2026-12-01T14:05:30.25Z', '2026-12-01T14:05:30.250Z'],
      ['2026-12-01 14:05:30-05:00', '2026-12-01T19:05:30.000Z'],
    ])('honours the written offset of %s whatever the sender\'s zone', (written, utc) => {
      for (const timeZone of [undefined, 'Europe/Berlin', 'Asia/Tokyo']) {
        const { window } = windowOf(`since ${written}`, { timeZone });
        expect(iso(window)[0]).toBe(utc);
        expect(window.range?.notes.join(' ')).not.toContain('were read');
      }
    });

    it('reads a time without an offset in the sender\'s Teams zone and says so', () => {
      const { window } = windowOf('since 2026-12-01T14:05', { timeZone: 'Europe/Berlin' });
      expect(iso(window)[0]).toBe('2026-12-01T13:05:00.000Z');
      expect(window.range?.senderZone).toBe('Europe/Berlin');
      expect(window.range?.notes[0]).toBe('Times without an offset were read in Europe/Berlin (your Teams time zone).');
    });

    it('reads a date alone as midnight in the zone', () => {
      const { window } = windowOf('since 2026-12-01', { timeZone: 'America/New_York' });
      expect(iso(window)[0]).toBe('2026-12-01T05:00:00.000Z');
    });

    it('uses the canonical name of a zone given in other casing', () => {
      expect(windowOf('since 2026-12-01T14:05', { timeZone: 'europe/berlin' }).window.range?.senderZone).toBe('Europe/Berlin');
    });

    it.each([undefined, '', 'Mars/Olympus_Mons', 'Europe/Berlin\n', "UTC' | take 1"])('reads as UTC, and says the zone is unknown, when the sender\'s zone is %p', (timeZone) => {
      const { window } = windowOf('since 2026-12-01T14:05', { timeZone });
      expect(iso(window)[0]).toBe('2026-12-01T14:05:00.000Z');
      expect(window.range?.senderZone).toBeUndefined();
      expect(window.range?.notes[0]).toBe('Times without an offset were read as UTC (your Teams time zone is not known).');
    });

    it('refuses a start in the future', () => {
      expect(refusal('since 2026-12-04T00:00Z')).toMatch(/in the future.*since <datetime>/);
    });
  });

  describe('<datetime>..<datetime>', () => {
    it.each([
      '2026-12-01T10:00..2026-12-01T12:00',
      '2026-12-01 10:00..2026-12-01 12:00',
      '2026-12-01 10:00 .. 2026-12-01 12:00',
      '2026-12-01T10:00 ..2026-12-01T12:00',
    ])('reads %s however it is spaced', (text) => {
      const { window, rest } = windowOf(`${text} all`, { timeZone: 'America/New_York' });
      expect(iso(window)).toEqual(['2026-12-01T15:00:00.000Z', '2026-12-01T17:00:00.000Z']);
      expect(window.ms).toBe(2 * HOUR);
      expect(window.range).toMatchObject({ form: 'between', endsNow: false });
      expect(rest).toEqual(['all']);
    });

    it('reproduces itself in UTC, so anyone in any zone asks for the same instants again', () => {
      const { window } = windowOf('2026-12-01T10:00..2026-12-01T12:30', { timeZone: 'Asia/Kolkata' });
      expect(window.text).toBe('2026-12-01T04:30Z..2026-12-01T07:00Z');
      const again = windowOf(window.text, { timeZone: 'America/Los_Angeles' }).window;
      expect(iso(again)).toEqual(iso(window));
    });

    it('clamps an end in the future to now and says so', () => {
      const { window } = windowOf('2026-12-03T12:00Z..2026-12-04T12:00Z');
      expect(iso(window)).toEqual(['2026-12-03T12:00:00.000Z', NOW.toISOString()]);
      expect(window.range?.endsNow).toBe(true);
      expect(window.range?.notes.join(' ')).toContain('is in the future: the window ends now (2026-12-03 16:30 UTC)');
      // Asking again asks for the same end, clamped again then.
      expect(window.text).toBe('2026-12-03T12:00Z..2026-12-04T12:00Z');
    });

    it('refuses a start after the end, with the valid forms', () => {
      const message = refusal('2026-12-02T12:00Z..2026-12-01T12:00Z');
      expect(message).toContain('starts (2026-12-02 12:00 UTC) after it ends (2026-12-01 12:00 UTC)');
      expect(message).toContain('since <datetime>');
    });

    it('refuses a window that starts where it ends', () => {
      expect(refusal('2026-12-01T12:00Z..2026-12-01T13:00+01:00')).toContain('after it ends');
    });

    it('refuses a window entirely in the future', () => {
      expect(refusal('2026-12-05T00:00Z..2026-12-06T00:00Z')).toContain('after now');
    });

    it('refuses a datetime alone and shows how to make it a window', () => {
      expect(refusal('2026-12-01T14:05')).toMatch(/A datetime alone is not a window: say `since 2026-12-01T14:05`/);
    });
  });

  describe('around <datetime> ±<n>h', () => {
    it.each(['±2h', '+-2h', '± 2h', '+- 2h', '+/-2h'])('reads %s either side', (span) => {
      const { window, rest } = windowOf(`around 2026-12-01T14:05Z ${span} network`);
      expect(iso(window)).toEqual(['2026-12-01T12:05:00.000Z', '2026-12-01T16:05:00.000Z']);
      expect(window.range?.form).toBe('around');
      expect(rest).toEqual(['network']);
    });

    it('reads the centre in the sender\'s zone', () => {
      const { window } = windowOf('around 2026-12-01 09:00 ±30m', { timeZone: 'Asia/Tokyo' });
      expect(iso(window)).toEqual(['2026-11-30T23:30:00.000Z', '2026-12-01T00:30:00.000Z']);
    });

    it('clamps the end of a window around a recent time', () => {
      const { window } = windowOf('around 2026-12-03T16:00Z ±1h');
      expect(iso(window)).toEqual(['2026-12-03T15:00:00.000Z', NOW.toISOString()]);
    });

    it.each(['around 2026-12-01T14:05Z', 'around 2026-12-01T14:05Z 2h', 'around 2026-12-01T14:05Z ±0h', 'around 2026-12-01T14:05Z ±99d', 'around'])(
      'refuses "%s" with what a span looks like',
      (text) => {
        expect(refusal(text)).toMatch(/±/);
      },
    );
  });

  describe('invalid datetimes', () => {
    it.each([
      'since 2026-02-29T10:00Z',
      'since 2026-13-01T10:00Z',
      'since 2026-12-01T24:00Z',
      'since 2026-12-01T10:60Z',
      'since 2026-12-01T10:00+15:00',
      'since 1066-10-14T09:00Z',
      'since 2026-12-01T10:00junk',
    ])('refuses %s', (text) => {
      expect(refusal(text)).toMatch(/datetime/);
    });

    it('refuses text glued to the end of a window', () => {
      expect(refusal('since 2026-12-01T10:00Z..')).toContain('cannot follow the window');
    });

    it('refuses "since" without a datetime', () => {
      expect(refusal('since')).toContain('needs a datetime');
    });
  });

  describe('daylight saving time', () => {
    it('refuses a Berlin time the clocks skipped on 2026-03-29 and suggests an offset', () => {
      const message = refusal('since 2026-03-29T02:30', { timeZone: 'Europe/Berlin' });
      expect(message).toContain('2026-03-29 02:30 does not exist in Europe/Berlin');
      expect(message).toContain('2026-03-29T02:30+01:00');
    });

    it('reads Berlin times either side of the spring gap with their own offsets', () => {
      const zone = { timeZone: 'Europe/Berlin' };
      expect(iso(windowOf('since 2026-03-29T01:59', zone).window)[0]).toBe('2026-03-29T00:59:00.000Z');
      expect(iso(windowOf('since 2026-03-29T03:00', zone).window)[0]).toBe('2026-03-29T01:00:00.000Z');
      const across = windowOf('2026-03-29T00:00..2026-03-29T04:00', zone).window;
      expect(across.ms).toBe(3 * HOUR);
    });

    it('takes the first of a Berlin time that happens twice on 2026-10-25, says so, and names the second', () => {
      const { window } = windowOf('since 2026-10-25T02:30', { timeZone: 'Europe/Berlin' });
      expect(iso(window)[0]).toBe('2026-10-25T00:30:00.000Z');
      const note = window.range?.notes.join(' ') ?? '';
      expect(note).toContain('2026-10-25 02:30 happens twice in Europe/Berlin');
      expect(note).toContain('2026-10-25T02:30+01:00');
      expect(iso(windowOf('since 2026-10-25T02:30+01:00', { timeZone: 'Europe/Berlin' }).window)[0]).toBe('2026-10-25T01:30:00.000Z');
      expect(windowOf('2026-10-25T00:00..2026-10-25T04:00', { timeZone: 'Europe/Berlin' }).window.ms).toBe(5 * HOUR);
    });

    it('handles New York\'s gap (2026-03-08 02:30) and overlap (2026-11-01 01:30)', () => {
      const zone = { timeZone: 'America/New_York' };
      expect(refusal('since 2026-03-08T02:30', zone)).toContain('does not exist in America/New_York');
      expect(refusal('since 2026-03-08T02:30', zone)).toContain('2026-03-08T02:30-05:00');
      const { window } = windowOf('since 2026-11-01T01:30', zone);
      expect(iso(window)[0]).toBe('2026-11-01T05:30:00.000Z');
      expect(window.range?.notes.join(' ')).toContain('2026-11-01T01:30-05:00');
      expect(iso(windowOf('since 2026-07-01T12:00', zone).window)[0]).toBe('2026-07-01T16:00:00.000Z');
    });
  });

  describe('the same words from people in different zones', () => {
    it('names different instants without an offset, the same with one', () => {
      const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Adelaide'];
      const local = zones.map((timeZone) => iso(windowOf('since 2026-12-01T14:05', { timeZone }).window)[0]);
      expect(local).toEqual([
        '2026-12-01T14:05:00.000Z',
        '2026-12-01T13:05:00.000Z',
        '2026-12-01T19:05:00.000Z',
        '2026-12-01T05:05:00.000Z',
        '2026-12-01T03:35:00.000Z',
      ]);
      const fixed = zones.map((timeZone) => iso(windowOf('since 2026-12-01T14:05+01:00', { timeZone }).window)[0]);
      expect(new Set(fixed)).toEqual(new Set(['2026-12-01T13:05:00.000Z']));
    });
  });

  describe('capping at the hunt maximum', () => {
    it('keeps the end of an absolute window and starts it later', () => {
      const { window } = windowOf('since 2026-10-01T00:00Z');
      const { window: capped, capped: wasCapped } = capWindow(window, 30 * 24 * HOUR);
      expect(wasCapped).toBe(true);
      expect(capped.ms).toBe(30 * 24 * HOUR);
      expect(capped.range?.end).toEqual(NOW);
      expect(capped.range?.start.toISOString()).toBe('2026-11-03T16:30:00.000Z');
    });

    it('leaves a window within the maximum alone', () => {
      const { window } = windowOf('since 2026-12-01T00:00Z');
      expect(capWindow(window, 30 * 24 * HOUR)).toEqual({ window, capped: false });
    });
  });
});
