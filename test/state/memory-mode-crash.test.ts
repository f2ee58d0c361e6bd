import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRunningCard, cardOf } from '../../src/cli/chat/card-text';
import { LocalConnector } from '../../src/cli/chat/connector-server';
import { defaultIdentity, mentionMessage, postActivity } from '../../src/cli/chat/teams-activity';
import { cardText } from '../support/card-text';
import { BOT_START_CEILING_MS } from '../support/ceilings';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { childProcessesOf } from '../../bench/bot-rss';
import { staleBuild, startBotProcess, waitUntilGone, type BotProcess } from './bot-process';

describe('a bot without Blob state that is killed mid-hunt', () => {
  let connector: LocalConnector;
  let dataDir: string;
  let cacheDir: string;
  let first: BotProcess | undefined;
  let second: BotProcess | undefined;

  beforeAll(async () => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
    dataDir = writeDesktopNowDataFolder(new Date()).dir;
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-cache-'));
    connector = await new LocalConnector().start();
  });

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await connector?.stop();
    for (const dir of [dataDir, cacheDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ HUNT_DATA_DIR: dataDir, HUNT_STORE_PATH: path.join(dataDir, 'huntbot.db'), HUNT_CACHE_DIR: cacheDir });

  it('has its running card marked interrupted by the next start, instead of running forever', async () => {
    first = await startBotProcess('bot before the crash', env());
    // Teams throttles the result update with a long Retry-After, so the hunt is still in flight when the process dies.
    connector.failUpdates({ status: 429, times: 100, retryAfterSeconds: 25 });
    const refused = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (connector.requests.some((r) => r.method === 'PUT' && r.status === 429)) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
    });
    const response = await postActivity(`${first.url}/api/messages`, mentionMessage(defaultIdentity('Alice'), connector.url, 'hunt rmm desktopnow 5d'));
    expect(response.status).toBe(200);
    const running = connector.events.find((e) => e.operation === 'send' && isRunningCard(cardOf(e.activity)));
    expect(running).toBeDefined();
    await refused;

    // Its Kusto parser process ends with it (its IPC channel closes), rather than living on alone.
    const parserProcesses = childProcessesOf(first.pid);
    expect(parserProcesses).toHaveLength(1);
    process.kill(first.pid, 'SIGKILL');
    await first.stop();
    await waitUntilGone(parserProcesses);
    connector.clearFaults();
    expect(isRunningCard(cardOf(connector.activities.get(running!.id)!.activity))).toBe(true);

    // The update comes once the restarted bot is up: wait as long as its start may take, and a minute more.
    const interrupted = connector.waitFor((e) => e.operation === 'update' && e.id === running!.id, BOT_START_CEILING_MS + 60_000);
    second = await startBotProcess('bot after the restart', env());
    const text = cardText((await interrupted).activity);
    expect(text).toContain('Hunt interrupted: DesktopNow · file signature');
    expect(text).toContain('restarted or stopped before it finished');
  }, 2 * BOT_START_CEILING_MS + 120_000);
});
