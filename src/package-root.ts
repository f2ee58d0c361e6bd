import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/**
 * The folder holding package.json. Data files (cards, hunts, manifest) are read from here so the same
 * code works from src/ under ts-jest and from dist/ after `tsc`, which does not copy non-TS files.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
}

/** The version in package.json: the app's one version (the Teams manifest repeats it; kept verdicts are keyed by it). */
export function packageVersion(): string {
  return String((JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '');
}

/** The installed version of a dependency (`yaml`, `ajv`…): part of the key of what the build keeps from its work. */
export function dependencyVersion(name: string): string {
  return String((JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: unknown }).version);
}
