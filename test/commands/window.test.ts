import { capWindow, formatWindow, parseWindow } from '../../src/commands/window';

describe('hunt windows', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['12h', 12 * 3_600_000],
    ['5d', 5 * 86_400_000],
    ['7D', 7 * 86_400_000],
  ])('reads %s as a window of %d ms', (text, ms) => {
    const parsed = parseWindow(text);
    expect(parsed).toEqual({ ok: true, window: { text: text.toLowerCase(), ms } });
  });

  it.each(['5', '5x', 'd5', '-5d', '1.5d', '', '5 d', '9999999d', "5d'"])('refuses "%s" and names the valid forms', (text) => {
    const parsed = parseWindow(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('<n>d');
  });

  it('refuses a zero window', () => {
    expect(parseWindow('0d').ok).toBe(false);
  });

  it('caps a window at the hunt maximum and says it did', () => {
    const parsed = parseWindow('90d');
    if (!parsed.ok) throw new Error('expected a window');
    expect(capWindow(parsed.window, 30 * 86_400_000)).toEqual({ window: { text: '30d', ms: 30 * 86_400_000 }, capped: true });
    expect(capWindow(parsed.window, 100 * 86_400_000).capped).toBe(false);
  });

  it('formats whole days, hours and minutes', () => {
    expect(formatWindow(2 * 86_400_000)).toBe('2d');
    expect(formatWindow(3 * 3_600_000)).toBe('3h');
    expect(formatWindow(45 * 60_000)).toBe('45m');
  });
});
