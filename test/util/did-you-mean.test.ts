import { didYouMean, editDistance } from '../../src/util/did-you-mean';

describe('did you mean (one rule for commands, families and tools)', () => {
  test('a swapped pair of letters is one typo', () => {
    expect(editDistance('hnut', 'hunt')).toBe(1);
    expect(didYouMean('hnut', ['hunt', 'help', 'exclusions'])).toEqual(['hunt']);
  });

  test('allows one edit per three typed characters, at least one', () => {
    expect(didYouMean('rmn', ['rmm'])).toEqual(['rmm']);
    expect(didYouMean('tag', ['untag'])).toEqual([]);
    expect(didYouMean('anydkk', ['anydesk'])).toEqual(['anydesk']);
  });

  test('a typed prefix of four or more characters finds the longer words, and a longer word finds its prefix', () => {
    expect(didYouMean('screen', ['screenmeet', 'screenconnect', 'anydesk'])).toEqual(['screenconnect', 'screenmeet']);
    expect(didYouMean('desktopnowclient', ['desktopnow'])).toEqual(['desktopnow']);
    expect(didYouMean('exc', ['exclusions'])).toEqual([]);
  });

  test('compares without case and answers with the candidate as written, each once', () => {
    expect(didYouMean('TeamVeiwer', ['TeamViewer', 'TeamViewer'])).toEqual(['TeamViewer']);
  });

  test('closest first, ties alphabetical, at most three', () => {
    expect(didYouMean('vnc', ['tightvnc', 'vnc1', 'vnc2', 'vnc3', 'vnc4'])).toEqual(['vnc1', 'vnc2', 'vnc3']);
    expect(didYouMean('anydesx', ['anydesk', 'anydesk2'])).toEqual(['anydesk', 'anydesk2']);
  });
});
