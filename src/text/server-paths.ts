import * as path from 'node:path';

/** The configured folders and files of this process (store, cache, data, hunts), longest first. */
const known = new Set<string>();

/**
 * Remembers server paths that must never reach chat. Registered once at start from the
 * configuration, so a relative setting (`data/huntbot.db`) is caught as well as its absolute form.
 */
export function rememberServerPaths(paths: ReadonlyArray<string | undefined>): void {
  for (const p of paths) {
    if (!p || p === ':memory:') continue;
    known.add(p);
    known.add(path.resolve(p));
  }
}

const PLACEHOLDER = '<server path>';
// An absolute POSIX path (not the `//host` of a URL), a Windows drive path, or ./ ../ ~/ relative paths.
const POSIX = /(?<![\w:/.~-])\/(?:[\w.@+~-]+\/)*[\w.@+~-]+\/?/g;
const WINDOWS = /\b[A-Za-z]:[\\/][^\s'"<>|]*/g;
const RELATIVE = /(?<![\w/])(?:\.{1,2}|~)\/[^\s'"<>|]*/g;

/** `text` with every server path (configured ones, and anything shaped like a file path) replaced. */
export function withoutServerPaths(text: string, placeholder = PLACEHOLDER): string {
  let out = text;
  for (const p of [...known].sort((a, b) => b.length - a.length)) out = out.split(p).join(placeholder);
  return out.replace(WINDOWS, placeholder).replace(RELATIVE, placeholder).replace(POSIX, placeholder);
}
