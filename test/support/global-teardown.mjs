// Jest allows one globalTeardown: removes what global-setup.mjs made for the run.
import * as fs from 'node:fs';
import kqlChecksGlobalTeardown from './kql-checks-global-teardown.mjs';

export default async function globalTeardown() {
  await kqlChecksGlobalTeardown();
  const sampleCache = process.env.HUNTBOT_TEST_SAMPLE_CACHE;
  if (sampleCache) fs.rmSync(sampleCache, { recursive: true, force: true });
}
