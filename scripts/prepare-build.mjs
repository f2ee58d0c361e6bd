// `prepare` (run by `npm ci`): compile once, so `npm start` and `npx huntbot` run the built code.
// A production install (`npm ci --omit=dev`, no TypeScript) keeps the build it was given.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('typescript/bin/tsc');
} catch {
  if (existsSync('dist/src/index.js')) {
    console.log('prepare: TypeScript is not installed (production install); using the existing build in dist/.');
    process.exit(0);
  }
  console.error('prepare: no build in dist/ and no TypeScript to make one. Run `npm ci` (with dev dependencies) first, then `npm ci --omit=dev`.');
  process.exit(1);
}
// As `npm run build`: incremental, with its record in dist/ (scripts/compile.mjs).
const result = spawnSync(process.execPath, ['scripts/compile.mjs'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// As `npm run build`: the built-in hunts' verdicts go with the build (scripts/builtin-verdicts.mjs).
const verdicts = spawnSync(process.execPath, ['scripts/builtin-verdicts.mjs'], { stdio: 'inherit' });
if (verdicts.status !== 0) process.exit(verdicts.status ?? 1);
// As `npm run build`: the card templates go prepared with the build (scripts/prepared-cards.mjs).
const cards = spawnSync(process.execPath, ['scripts/prepared-cards.mjs'], { stdio: 'inherit' });
if (cards.status !== 0) process.exit(cards.status ?? 1);
// And the Kusto parser's startup snapshot for this Node.js (scripts/parser-snapshot.mjs).
const snapshot = spawnSync(process.execPath, ['scripts/parser-snapshot.mjs'], { stdio: 'inherit' });
process.exit(snapshot.status ?? 1);
