import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The parser's startup snapshot for the Node.js running the tests. `npm test` built it for the Node.js
 * that built dist/; another one (CI's second run) gets its own here (written atomically, so two files
 * building it at once both end with a whole blob).
 */
export function ensureParserSnapshot(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the launcher is plain JavaScript, outside the TypeScript build
  const { parserSnapshotFile } = require(path.join(ROOT, 'bin', 'parser-snapshot.js')) as { parserSnapshotFile: (distDir: string) => string };
  const blob = parserSnapshotFile(path.join(ROOT, 'dist'));
  if (!fs.existsSync(blob)) {
    const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'parser-snapshot.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(built.stderr).toBe('');
  }
  expect(fs.existsSync(blob)).toBe(true);
  return blob;
}
