import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sampleNow } from '../../src/data/generator';
import { staleBuild, startBotProcess, type BotProcess } from '../state/bot-process';

/** The bot's `data-loaded` log line, once it is there (the snapshot is written after the bot is ready). */
async function dataLoaded(bot: BotProcess, ceilingMs = 120_000): Promise<{ snapshot: string; reason?: string }> {
  const deadline = Date.now() + ceilingMs;
  while (Date.now() < deadline) {
    const line = bot.output().split('\n').find((l) => l.includes('"event":"data-loaded"'));
    if (line) return JSON.parse(line) as { snapshot: string; reason?: string };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no data-loaded line within ${ceilingMs / 1000} s`);
}

async function readyz(bot: BotProcess): Promise<number> {
  return (await fetch(`${bot.url}/readyz`)).status;
}

describe('a bot on the generated sample, started twice on one HUNT_CACHE_DIR', () => {
  let dir: string;

  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-sample-start-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates the sample and writes its snapshot on the first start, and starts from the snapshot on the second', async () => {
    const env = { HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache') };
    const hourBefore = sampleNow().getTime();
    // No shared snapshot: this start is the cold one a new installation makes.
    const first = await startBotProcess('first start', env, undefined, { sharedSample: false });
    try {
      expect(await readyz(first)).toBe(200);
      expect(await dataLoaded(first)).toEqual(expect.objectContaining({ snapshot: 'written', reason: 'no snapshot yet' }));
    } finally {
      await first.stop();
    }
    expect(fs.readdirSync(path.join(dir, 'cache'))).toContain('sample-1128-hunting.snapshot');

    const second = await startBotProcess('second start', env, undefined, { sharedSample: false });
    try {
      const loaded = await dataLoaded(second);
      // The sample is anchored to the hour: when the two starts may straddle one, a stale snapshot is right too.
      if (sampleNow().getTime() === hourBefore) expect(loaded).toEqual(expect.objectContaining({ snapshot: 'used' }));
      else expect([loaded.snapshot === 'used', loaded.snapshot === 'written' && /stale/.test(loaded.reason ?? '')]).toContain(true);
      expect(await readyz(second)).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
