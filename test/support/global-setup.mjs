// Jest allows one globalSetup: this runs each per-run preparation in turn.
import kqlChecksGlobalSetup from './kql-checks-global-setup.mjs';
import sampleCacheSetup from './sample-cache-setup.mjs';

export default async function globalSetup() {
  await kqlChecksGlobalSetup();
  await sampleCacheSetup();
}
