import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/**
 * The directory holding package.json. Hunt data files are read from the source tree because `tsc`
 * does not copy .yaml files into dist/; walking up from this file finds the same root whether the
 * code runs from src/ (ts-jest) or dist/src/ (the built bot).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
}

/** `src/hunts`: built-in hunts (one folder per family) and the catalog's data files. */
export function builtinHuntsDir(): string {
  return path.join(packageRoot(), 'src', 'hunts');
}
