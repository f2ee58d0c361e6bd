// Jest globalTeardown: removes the run's shared KQL verdicts (see kql-checks-global-setup.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';

export default async function kqlChecksGlobalTeardown() {
  const file = process.env.HUNTBOT_TEST_KQL_CHECKS;
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
