// Part of `npm run build` (and of `prepare`): the Kusto analyser's verdicts on the built-in hunts, kept
// with the build so the bot's first start does not ask its parser thread about them
// (src/hunts/builtin-verdicts.ts). Without the file the bot checks them at start, as before.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { builtinVerdictsFile, writeBuiltinVerdicts } = require('../dist/src/hunts/builtin-verdicts.js');
try {
  const started = performance.now();
  const hunts = await writeBuiltinVerdicts();
  console.log(`build: verdicts on ${hunts} built-in hunts in ${path.relative(process.cwd(), builtinVerdictsFile())} (${Math.round(performance.now() - started)} ms)`);
} catch (error) {
  // Only start-up time depends on the file: a build without it still works.
  console.warn(`build: no verdicts kept for the built-in hunts (${error instanceof Error ? error.message : String(error)}); the bot checks them at start`);
}
