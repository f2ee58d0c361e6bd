// Part of `npm run build` (and of `prepare`): the hunt schemas' validators compiled (src/hunts/built-validators.ts),
// the built-in hunt files' YAML values (src/hunts/builtin-yaml.ts) and the Kusto analyser's verdicts on the
// built-in hunts, kept with the build so the bot's first start neither compiles the schemas nor parses the
// YAML nor asks its parser process about them, nor its first device lookup about the device-scoped RMM hunts
// (src/hunts/builtin-verdicts.ts; verdicts the file holds under the same key and analyser are reused).
// Without the files the bot does all of it at start, as before.
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { builtinVerdictsFile, writeBuiltinVerdicts } = require('../dist/src/hunts/builtin-verdicts.js');
const { builtinYamlFile, writeBuiltinYaml } = require('../dist/src/hunts/builtin-yaml.js');
const { builtValidatorsFile, writeBuiltValidators } = require('../dist/src/hunts/built-validators.js');
try {
  // First, so the catalog below loads with them as the bot's will.
  const started = performance.now();
  const validators = writeBuiltValidators();
  console.log(`build: ${validators} hunt schema validators compiled in ${path.relative(process.cwd(), builtValidatorsFile())} (${Math.round(performance.now() - started)} ms)`);
} catch (error) {
  // Only start-up time depends on the file: an older build's file is removed, so what this warning says is what happens.
  try {
    rmSync(builtValidatorsFile(), { force: true });
  } catch {
    // It cannot be removed: a file left behind is used only under the key it names (ajv, options, schema texts).
  }
  console.warn(`build: no compiled hunt schema validators kept (${error instanceof Error ? error.message : String(error)}); the schemas are compiled at load`);
}
try {
  // First, so the catalog the verdicts are made on loads from it as the bot's will.
  const started = performance.now();
  const files = writeBuiltinYaml();
  console.log(`build: YAML values of ${files} built-in hunt files in ${path.relative(process.cwd(), builtinYamlFile())} (${Math.round(performance.now() - started)} ms)`);
} catch (error) {
  // Only start-up time depends on the file: without it every process parses the YAML. An older build's
  // file is removed, so what this warning says is what happens.
  try {
    rmSync(builtinYamlFile(), { force: true });
  } catch {
    // It cannot be removed: a file left behind still answers only the texts it was made from, by this parser.
  }
  console.warn(`build: no YAML values kept for the built-in hunts (${error instanceof Error ? error.message : String(error)}); they are parsed at load`);
}
try {
  const started = performance.now();
  const { hunts, scoped, analysed } = writeBuiltinVerdicts();
  const where = path.relative(process.cwd(), builtinVerdictsFile());
  console.log(`build: verdicts on ${hunts} built-in hunts and ${scoped} device-scoped ones in ${where}, ${analysed} analysed anew (${Math.round(performance.now() - started)} ms)`);
} catch (error) {
  // Only start-up time depends on the file: a build without it still works.
  console.warn(`build: no verdicts kept for the built-in hunts (${error instanceof Error ? error.message : String(error)}); the bot checks them at start`);
}
