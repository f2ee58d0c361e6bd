import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_FOLDER } from '../hunts/hunt-folder';

/** Folders below the hunt folder searched for fixtures (the hunt folder listing's own depth cap). */
const MAX_DEPTH = 8;

/**
 * `<name>.fixtures/` folders under `dir` that are not in `used`: a misspelt folder name would otherwise
 * leave its hunt untested without a word. Links are not followed.
 */
export function unusedFixturesFolders(dir: string, used: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return; // the hunt folder listing reports unreadable folders
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const full = path.join(folder, entry.name);
      if (FIXTURES_FOLDER.test(entry.name)) {
        if (!used.has(path.resolve(full))) found.push(full);
      } else if (depth < MAX_DEPTH) walk(full, depth + 1);
    }
  };
  walk(dir, 0);
  return found;
}
