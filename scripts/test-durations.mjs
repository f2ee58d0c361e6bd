// Records how long each test file took, from a jest JSON report, into test/support/test-durations.json,
// which the longest-first sequencer uses when jest has no timings of its own (a clean clone, CI):
//   npx jest --json --outputFile=jest-report.json; node scripts/test-durations.mjs jest-report.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = process.argv[2];
if (!report) {
  console.error('usage: node scripts/test-durations.mjs <jest --json report>');
  process.exit(2);
}
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const files = Object.fromEntries(
  testResults
    .map((r) => [relative(process.cwd(), r.name).split('\\').join('/'), r.endTime - r.startTime])
    .sort(([a], [b]) => (a < b ? -1 : 1)),
);
const out = 'test/support/test-durations.json';
writeFileSync(out, JSON.stringify({ note: 'Milliseconds per test file of one whole run (scripts/test-durations.mjs).', files }, null, 2) + '\n');
console.log(`${out}: ${Object.keys(files).length} files`);
