// Records how long each test file took, from a jest JSON report, into test/support/test-durations.json,
// which the longest-first sequencer uses when jest has no timings of its own (a clean clone, CI):
//   npx jest --json --outputFile=jest-report.json; node scripts/test-durations.mjs jest-report.json
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Keys are paths from the repository root, as the sequencer looks them up, wherever the report was made or this is run from.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.mjs <jest --json report>');
  process.exit(2);
}
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const names = testResults.map((r) => r.name.split('\\').join('/'));
// The root of the clone the report was made in (a CI run's, say): the folder holding the one test/ folder every file is in.
const commonDir = names.reduce((common, name) => {
  while (!name.startsWith(`${common}/`)) common = dirname(common);
  return common;
}, dirname(names[0]));
const within = `${commonDir}/`;
const reportRoot = within.includes('/test/') ? within.slice(0, within.lastIndexOf('/test/')) : ROOT;
const repoPath = (name) => relative(reportRoot, name).split('\\').join('/');
const files = Object.fromEntries(
  testResults
    .map((r, i) => [repoPath(names[i]), r.endTime - r.startTime])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
const out = resolve(ROOT, 'test/support/test-durations.json');
writeFileSync(out, JSON.stringify({ note: 'Milliseconds per test file of one whole run (scripts/test-durations.mjs).', files }, null, 2) + '\n');
console.log(`${out}: ${Object.keys(files).length} files`);
