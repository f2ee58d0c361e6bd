import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { staleBuild, startBotProcess } from './bot-process';

describe('a bot process told to stop', () => {
  let dir: string;

  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-shutdown-'));
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('logs the signal when it starts stopping and again when it has stopped', async () => {
    const bot = await startBotProcess('bot to stop', { HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache') });
    await bot.stop();
    const events = bot
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { event?: string; signal?: string });
    expect(events.filter((e) => e.event === 'stopping' || e.event === 'stopped')).toEqual([
      expect.objectContaining({ event: 'stopping', signal: 'SIGTERM', runningHunts: 0 }),
      expect.objectContaining({ event: 'stopped', signal: 'SIGTERM' }),
    ]);
  });
});
