// Part of `npm run build` (and of `prepare`): the card templates prepared (their `${…}` expressions parsed)
// and kept with the build, so neither a start nor a test bot runs the expression parser over them
// (src/cards/prepared-templates.ts). Without the file the bot parses them at start, as before.
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { preparedTemplatesFile, writePreparedTemplates } = require('../dist/src/cards/prepared-templates.js');
try {
  const started = performance.now();
  const kept = writePreparedTemplates();
  console.log(`build: ${kept} card templates prepared in ${path.relative(process.cwd(), preparedTemplatesFile())} (${Math.round(performance.now() - started)} ms)`);
} catch (error) {
  // Only start-up time depends on the file: an older build's file is removed, so what this warning says is what happens.
  try {
    rmSync(preparedTemplatesFile(), { force: true });
  } catch {
    // It cannot be removed: a file left behind still answers only the template texts it was made from, with these libraries.
  }
  console.warn(`build: no card templates kept prepared (${error instanceof Error ? error.message : String(error)}); they are parsed at start`);
}
