import { rememberServerPaths, withoutServerPaths } from '../../src/text/server-paths';
import { cleanDisplayText, cleanName } from '../../src/text/display-text';

describe('server paths in text meant for chat', () => {
  beforeAll(() => rememberServerPaths(['data/tags.db']));

  it('removes an absolute database path from a SQLite error', () => {
    expect(withoutServerPaths('Could not read tags from /tmp/huntbot-x/huntbot.db: database disk image is malformed')).toBe(
      'Could not read tags from <server path>: database disk image is malformed',
    );
  });

  it('removes configured relative paths, ./ paths and Windows paths', () => {
    expect(withoutServerPaths('HUNT_STORE_PATH data/tags.db is locked')).toBe('HUNT_STORE_PATH <server path> is locked');
    expect(withoutServerPaths('open ./.huntbot/huntbot.db failed')).toBe('open <server path> failed');
    expect(withoutServerPaths("ENOENT: open 'C:\\bot\\x.db'")).toBe("ENOENT: open '<server path>'");
  });

  it('leaves URLs, hunt keys and plain words alone', () => {
    for (const text of ['see https://learn.microsoft.com/a/b', 'rmm/desktopnow|dev-a', 'a / b', 'windows 5d/7d']) {
      expect(withoutServerPaths(text)).toBe(text);
    }
  });
});

describe('untrusted names shown or stored', () => {
  it('lose bidi overrides, zero-width characters and NULs', () => {
    expect(cleanDisplayText('fin\u202Egpj.exe\u200B\u0000')).toBe('fingpj.exe');
    expect(cleanDisplayText('Al\u2066ice\u2069 \uFEFF')).toBe('Alice ');
  });

  it('keep line breaks in free text but not in one-line names', () => {
    expect(cleanDisplayText('line one\nline two')).toBe('line one\nline two');
    expect(cleanName(' Mallory\n<at>Alice</at> ')).toBe('Mallory <at>Alice</at>');
  });
});
