import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainerClient } from '@azure/storage-blob';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { LocalConnector } from '../../src/cli/chat/connector-server';
import { defaultIdentity, executeInvoke, mentionMessage, postActivity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { staleBuild, startBotProcess, type BotProcess } from './bot-process';
import { actionsOn as actions, type Card } from '../support/card-actions';

const DEVICES = 30; // three pages of 12


describe('two bot processes sharing run state in Azure Blob Storage (Azurite)', () => {
  let azurite: RunningAzurite;
  let connector: LocalConnector;
  let dataDir: string;
  let container: string;
  let a: BotProcess;
  let b: BotProcess;
  const alice = defaultIdentity('Alice');
  const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };

  const botEnv = (instance: string): Record<string, string> => ({
    HUNT_DATA_DIR: dataDir,
    // Each instance has its own exclusion database: only run state is shared, and only through the container.
    HUNT_STORE_PATH: path.join(dataDir, `${instance}.db`),
    HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString,
    HUNT_STATE_BLOB_CONTAINER: container,
  });

  const execute = async (bot: BotProcess, replyToId: string, verb: string, data: Record<string, unknown>, who: ChatIdentity) => {
    const response = await postActivity(`${bot.url}/api/messages`, executeInvoke(who, connector.url, replyToId, verb, data));
    expect(response.status).toBe(200);
    const value = (response.body as { value: unknown }).value;
    if (typeof value !== 'object') throw new Error(`${bot.name} answered ${verb} with a message: ${String(value)}`);
    return value as Card;
  };

  beforeAll(async () => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-two-'));
    const now = Date.now();
    const rows = Array.from({ length: DEVICES }, (_, i) =>
      JSON.stringify(certRow(`dev-${String(i).padStart(2, '0')}`, `ws-${String(i).padStart(2, '0')}.contoso.local`, 'NCH Software Pty Ltd', new Date(now - (i + 1) * 3_600_000), 1000 + i)),
    );
    fs.writeFileSync(path.join(dataDir, 'DeviceFileCertificateInfo.jsonl'), rows.join('\n') + '\n');
    container = `huntbot-${randomUUID()}`;
    [azurite, connector] = await Promise.all([startAzurite(), new LocalConnector().start()]);
    [a, b] = await Promise.all([startBotProcess('instance A', botEnv('a')), startBotProcess('instance B', botEnv('b'))]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([azurite?.stop(), connector?.stop()]);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages and tags through B a hunt that A ran; A then shows B’s tag, and so does A after a restart', async () => {
    // Alice hunts through A; A acknowledges with a running card and replaces it when the hunt is done.
    const before = connector.events.length;
    expect((await postActivity(`${a.url}/api/messages`, mentionMessage(alice, connector.url, 'hunt rmm desktopnow 5d'))).status).toBe(200);
    const running = connector.events.slice(before).find((e) => e.operation === 'send' && isRunningCard(cardOf(e.activity)));
    if (!running) throw new Error(`instance A sent no running card:\n${a.output()}`);
    const finished = (): Card | undefined => {
      const card = cardOf(connector.activities.get(running.id)!.activity);
      return isRunningCard(card) ? undefined : card;
    };
    if (!finished()) await connector.waitFor((e) => e.id === running.id && e.operation === 'update' && !isRunningCard(cardOf(e.activity)));
    const shared = finished()!;
    expect(cardText(shared)).toContain(`of ${DEVICES} (page 1 of 3)`);
    const next = actions(shared, 'results.page');
    expect(next).toHaveLength(1);
    const runId = String(next[0].runId);

    // The run is in the container, under BlobsStorage's escaped name.
    const blobs: string[] = [];
    for await (const blob of new ContainerClient(azurite.connectionString, container).listBlobsFlat()) blobs.push(blob.name);
    expect(blobs).toContain(`runs%2F${runId}`);

    // Bob presses Next on that card; Teams delivers the press to B, which never saw the hunt.
    const pageTwoOnB = await execute(b, running.id, 'results.page', next[0], bob);
    expect(cardText(pageTwoOnB)).toContain(`of ${DEVICES} (page 2 of 3)`);
    const tagOnPageTwo = actions(pageTwoOnB, 'hit.tag')[0];
    expect(tagOnPageTwo).toBeDefined();
    const deviceId = String(tagOnPageTwo.deviceId);
    const deviceName = `ws-${deviceId.slice(4)}.contoso.local`;
    expect(cardText(pageTwoOnB)).toContain(deviceName);

    // Bob tags that device as a backup job, through B.
    const updatesBefore = connector.events.filter((e) => e.operation === 'update' && e.id === running.id).length;
    const saved = await execute(b, running.id, 'hit.tag.save', { ...tagOnPageTwo, scenario: 'backup-job', justification: 'Nightly backups', expiry: '90d' }, bob);
    expect(cardText(saved)).toContain('Benign: Backup job execution — Bob');
    // B replaced the shared message for everyone (it is on page 1, so the tag itself is on page 2).
    expect(connector.events.filter((e) => e.operation === 'update' && e.id === running.id).length).toBe(updatesBefore + 1);

    // Alice pages the same card through A: A reads the run B changed and shows Bob's tag.
    const pageTwoOnA = await execute(a, running.id, 'results.page', next[0], alice);
    expect(cardText(pageTwoOnA)).toContain(deviceName);
    expect(cardText(pageTwoOnA)).toContain('Benign: Backup job execution — Bob');
    // Both instances render the same page identically.
    expect(await execute(b, running.id, 'results.page', next[0], alice)).toEqual(pageTwoOnA);

    // App Service restarts A: the new process has nothing in memory and still serves the run.
    await a.stop();
    a = await startBotProcess('instance A (restarted)', botEnv('a'));
    const afterRestart = await execute(a, running.id, 'results.page', next[0], alice);
    expect(afterRestart).toEqual(pageTwoOnA);
  });
});
