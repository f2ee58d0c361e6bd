// Jest globalSetup: one file for the whole run where test files share the KQL analyser's verdicts on
// the built-in hunts (test/support/run-kql-checks.ts), so the ~200 hunts are analysed once per run, not
// once per file that loads the full catalog. Per run, never kept: a verdict from an older parser or
// analyser must not stand in for this run's. Workers inherit the variable (they start after this).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default async function kqlChecksGlobalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-test-kql-checks-'));
  process.env.HUNTBOT_TEST_KQL_CHECKS = path.join(dir, 'kql-checks.json');
}
