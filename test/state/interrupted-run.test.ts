import * as fs from 'node:fs';
import { startApp, type RunningApp } from '../../src/index';
import { createStateStore } from '../../src/bot/blob-state-store';
import { loadConfig } from '../../src/config/config';
import { LocalConnector } from '../../src/cli/chat/connector-server';
import { silentLogger } from '../../src/logging/logger';
import { RunRegistry } from '../../src/runs/run-registry';
import type { HuntRun } from '../../src/domain/hunt-run';
import type { InflightMarker } from '../../src/runs/inflight-tracker';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { cardText } from '../support/card-text';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { BOT_START_CEILING_MS } from '../support/ceilings';

describe('a hunt whose bot instance died mid-run', () => {
  let azurite: RunningAzurite;
  let connector: LocalConnector;
  let app: RunningApp | undefined;
  let fixture: { dir: string };

  beforeAll(async () => {
    azurite = await startAzurite();
    connector = await new LocalConnector().start();
    fixture = writeDesktopNowDataFolder(new Date());
  });

  afterAll(async () => {
    await app?.close();
    await connector?.stop();
    await azurite?.stop();
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  });

  it('is marked interrupted on its card by the next instance that starts, instead of running forever', async () => {
    const env = { HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString, HUNT_STATE_BLOB_CONTAINER: 'huntbot-state' };
    const { store } = createStateStore(loadConfig(env).runState);
    const runId = '6f1d2c1e-0000-4000-8000-000000000001';
    const deadInstance = '6f1d2c1e-0000-4000-8000-0000000000de';
    const conversation = { id: '19:incident@thread.tacv2', conversationType: 'channel', isGroup: true };
    const running = {
      runId,
      correlationId: 'corr-interrupted',
      huntKey: 'rmm/desktopnow',
      title: 'DesktopNow · file signature',
      status: 'running',
      hits: [],
      hidden: [],
      queries: [],
    } as unknown as HuntRun;
    await new RunRegistry(store).save(running);
    const marker: InflightMarker = {
      runId,
      instanceId: deadInstance,
      startedAt: new Date(Date.now() - 600_000).toISOString(),
      target: {
        activityId: 'activity-running-card',
        conversation: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation,
          bot: { id: '28:huntbot', name: 'HuntBot' },
          user: { id: '29:alice', name: 'Alice' },
        },
      },
    };
    await store.write('inflight/index', [marker]);
    await store.write(`instances/${deadInstance}`, { at: Date.now() - 600_000 });

    // The update comes once the bot has started: wait as long as a start may take.
    const update = connector.waitFor((e) => e.operation === 'update' && e.id === 'activity-running-card', BOT_START_CEILING_MS);
    app = await startApp({ PORT: '0', HUNT_DATA_DIR: fixture.dir, HUNT_STORE_PATH: `${fixture.dir}/huntbot.db`, HUNT_ENGINE_WORKERS: '1', ...env }, silentLogger);
    const event = await update;
    expect(cardText(event.activity)).toContain('Hunt interrupted: DesktopNow · file signature');
    expect(event.conversationId).toBe(conversation.id);
    expect((await new RunRegistry(store).get(runId))?.status).toBe('failed');
    // The sweep runs in the background of the start: its marker is removed right after the card update.
    const deadline = Date.now() + 10_000;
    while (((await store.read<InflightMarker[]>('inflight/index'))?.value ?? []).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await store.read<InflightMarker[]>('inflight/index'))?.value).toEqual([]);
  });
});
