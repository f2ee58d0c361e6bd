import { normalizeCommandText, tokenize } from '../../src/commands/command-text';
import { didYouMean, editDistance } from '../../src/util/did-you-mean';

describe('command text from Teams', () => {
  it('drops mentions, HTML and entities that Teams puts around a command', () => {
    expect(normalizeCommandText('<p><at>HuntBot</at>&nbsp;hunt   rmm <b>desktopnow</b> 5d</p>')).toBe('hunt rmm desktopnow 5d');
  });

  it('keeps the ± of an "around" window that Teams sent as an HTML entity', () => {
    expect(normalizeCommandText('<p>hunt rmm any around 2026-12-01T14:05Z &plusmn;2h</p>')).toBe('hunt rmm any around 2026-12-01T14:05Z ±2h');
  });

  it('removes control and bidi-override characters instead of passing them on', () => {
    expect(normalizeCommandText('hunt\u0000 rmm\u202e desktopnow\u200b 5d')).toBe('hunt rmm desktopnow 5d');
  });

  it('tokenises on single spaces after normalisation', () => {
    expect(tokenize('hunt rmm x')).toEqual(['hunt', 'rmm', 'x']);
    expect(tokenize('')).toEqual([]);
  });
});

describe('did you mean', () => {
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest words within a tolerance, and nothing for noise', () => {
    expect(didYouMean('desktopnwo', ['desktopnow', 'anydesk', 'teamviewer'])).toEqual(['desktopnow']);
    expect(didYouMean('anydsk', ['desktopnow', 'anydesk'])).toEqual(['anydesk']);
    expect(didYouMean('zzzzzz', ['desktopnow', 'anydesk'])).toEqual([]);
  });
});
