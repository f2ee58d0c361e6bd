import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The jest run's folder for the generated sample's snapshot (made by sample-cache-setup.mjs), so that
 * the sample is generated once per run rather than once per test bot. Snapshots are only ever
 * replaced by renaming a new file over the old, never written in place, so sharing one file by hard
 * links is safe. Outside a jest run (or when a test asks for a cold start) nothing is shared.
 */
const runFolder = (): string | undefined => process.env.HUNTBOT_TEST_SAMPLE_CACHE || undefined;
const SAMPLE_SNAPSHOT = /^sample-.*\.snapshot$/;

/** The bot's cache folder, as the bot will resolve HUNT_CACHE_DIR from `env` (its default is relative to the working folder). */
export function botCacheDir(env: Record<string, string | undefined>, cwd = process.cwd()): string {
  return path.resolve(cwd, env.HUNT_CACHE_DIR || './.huntbot/cache');
}

/** Before a bot starts: its cache folder gets the run's sample snapshots (a current one is then used, a stale one rewritten). */
export function seedSampleCache(cacheDir: string): void {
  const run = runFolder();
  if (!run) return;
  for (const name of sampleSnapshots(run)) share(path.join(run, name), path.join(cacheDir, name));
}

/** After a bot stopped: a sample snapshot it wrote that is newer than the run's becomes the run's. */
export function keepSampleCache(cacheDir: string): void {
  const run = runFolder();
  if (!run || !fs.existsSync(cacheDir)) return;
  for (const name of sampleSnapshots(cacheDir)) {
    const mine = path.join(cacheDir, name);
    const theirs = path.join(run, name);
    if (!fs.existsSync(theirs) || fs.statSync(mine).mtimeMs > fs.statSync(theirs).mtimeMs) share(mine, theirs);
  }
}

function sampleSnapshots(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => SAMPLE_SNAPSHOT.test(name)) : [];
}

/** `to` becomes `from` (a hard link; a copy across file systems), replaced atomically; best effort, it is only a cache. */
function share(from: string, to: string): void {
  try {
    if (fs.existsSync(to) && fs.statSync(to).ino === fs.statSync(from).ino) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const temp = `${to}.${process.pid}.${Date.now()}.link`;
    try {
      fs.linkSync(from, temp);
    } catch {
      fs.copyFileSync(from, temp);
    }
    fs.renameSync(temp, to);
  } catch {
    // A bot without the run's snapshot generates the sample itself: slower, never wrong.
  }
}
