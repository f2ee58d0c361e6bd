// The compile step of `npm run build` and of `prepare`: `tsc -p tsconfig.build.json`, incremental. Its record
// (dist/.tsbuildinfo, per tsconfig.build.json) lives in dist/, so `rm -rf dist` forgets it with the outputs.
// tsc trusts the record over the disk: an output deleted on its own (dist/src/x.js) is not emitted again
// while the record says its source is unchanged. So every output the record stands for is looked for
// first, and one missing makes tsc compile everything (the record is removed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const record = path.join(root, 'dist', '.tsbuildinfo');

/** The project's own files and the outputs tsc emitted for each, by the record's file list and its rootDir/outDir (relative to the record). */
function recordedSources() {
  const info = JSON.parse(readFileSync(record, 'utf8'));
  const here = path.dirname(record);
  const rootDir = path.resolve(here, info.options.rootDir);
  const outDir = path.resolve(here, info.options.outDir);
  return info.fileNames
    .filter((name) => !name.split('/').includes('node_modules') && !name.endsWith('.d.ts'))
    .map((name) => {
      const source = path.resolve(here, name);
      const out = path.join(outDir, path.relative(rootDir, source));
      if (name.endsWith('.json')) return { source, outputs: [out] };
      const js = out.replace(/\.ts$/, '.js');
      return { source, outputs: info.options.sourceMap ? [js, `${js}.map`] : [js] };
    });
}

function recordedOutputs() {
  return recordedSources().flatMap(({ outputs }) => outputs);
}

/**
 * tsc leaves an output alone when its source's content is unchanged, even if the source's file time is
 * newer (a checkout, a stash): such outputs are given the time of this build, so a check by file times
 * (the bot-process tests' staleBuild, `make`) sees them as built, which they are.
 */
function markOutputsCurrent() {
  const now = new Date();
  for (const { source, outputs } of recordedSources()) {
    if (!existsSync(source)) continue;
    const sourceTime = statSync(source).mtimeMs;
    for (const out of outputs) if (existsSync(out) && statSync(out).mtimeMs < sourceTime) utimesSync(out, now, now);
  }
}

if (existsSync(record)) {
  let why;
  try {
    const missing = recordedOutputs().find((file) => !existsSync(file));
    if (missing !== undefined) why = `${path.relative(process.cwd(), missing)} is missing`;
  } catch (error) {
    why = `its record is unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (why !== undefined) {
    console.log(`build: ${why}; compiling everything`);
    rmSync(record, { force: true });
  }
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status === 0) markOutputsCurrent();
process.exit(result.status ?? 1);
