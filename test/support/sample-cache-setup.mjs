// jest globalSetup: one folder per jest run for the generated sample's snapshot. The first test bot
// that needs the sample generates it, and every later one starts from it (test/support/sample-cache.ts).
// Only test support reads the variable; the bot knows nothing of it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import process from 'node:process';

export default async function sampleCacheSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-test-sample-'));
  process.env.HUNTBOT_TEST_SAMPLE_CACHE = dir;
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
