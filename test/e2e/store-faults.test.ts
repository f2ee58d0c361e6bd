import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';

const PAGE_SIZE = 4096;
/**
 * The bots with a broken tag store run the engine in their own thread (a supported setting): the faults are in
 * the store, and each worker pool costs seconds of CPU to start. The healthy bot keeps its engine worker.
 */
const ENGINE_IN_THREAD = { HUNT_ENGINE_WORKERS: '0' };

/** A real tag store with one tag, then page 2 (the exclusions table's root) overwritten with garbage. */
async function corruptTagStore(file: string): Promise<void> {
  const store = new SqliteExclusionStore(file);
  await store.upsert({
    searchKey: 'rmm/desktopnow|dev-a',
    huntKey: 'rmm/desktopnow',
    deviceId: 'dev-a',
    deviceName: 'fin-ws-001.contoso.local',
    scenario: 'backup',
    justification: 'nightly backup',
    taggedByUpn: '',
    taggedByAadObjectId: '00000000-0000-0000-0000-000000000001',
    taggedByName: 'Alice',
    taggedAtUtc: new Date().toISOString(),
    expiresAtUtc: '',
  });
  await store.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(PAGE_SIZE, 0xa5), 0, PAGE_SIZE, PAGE_SIZE);
  fs.closeSync(fd);
}

describe('a bot whose SQLite tag store has a corrupt page', () => {
  let harness: BotHarness;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = writeDesktopNowDataFolder(new Date()).dir;
    file = path.join(dir, 'huntbot.db');
    await corruptTagStore(file);
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: file, ...ENGINE_IN_THREAD });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const everythingSent = () => harness.connector.events.map((e) => JSON.stringify(e.activity)).join('\n');

  it('still starts and stays live: /healthz answers 200', async () => {
    const response = await fetch(`${harness.app.url}/healthz`);
    expect(response.status).toBe(200);
  });

  it('reports itself not ready on /readyz and /healthz?ready, naming the failing store without its path', async () => {
    for (const probe of ['/readyz', '/healthz?ready']) {
      const response = await fetch(`${harness.app.url}${probe}`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('degraded');
      expect(body.checks.exclusionStore).toMatch(/^failing: the database file is damaged/);
      expect(body.checks.runState).toBe('ok');
      expect(body.checks.backend).toBe('ok');
      expect(JSON.stringify(body)).not.toContain(dir);
    }
  });

  it('answers probes from a cache, so a tight probe loop cannot hammer the store', async () => {
    const bodies = await Promise.all(Array.from({ length: 20 }, async () => (await (await fetch(`${harness.app.url}/readyz`)).json()) as { checkedAt: string }));
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBeLessThanOrEqual(2);
  });

  it('fails a hunt with a card that says the tags could not be read and gives a correlation id, but no server path', async () => {
    await harness.say('hunt rmm desktopnow 5d');
    await harness.app.runs.idle();
    const card = harness.connector.events.filter((e) => e.operation === 'update').pop();
    const text = cardText(card?.activity);
    expect(text).toContain('Hunt failed');
    expect(text).toMatch(/tags|tag store/);
    expect(text).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(everythingSent()).not.toContain(dir);
    expect(everythingSent()).not.toContain('huntbot.db');
  });

  it('answers `exclusions` and `untag` with what failed and a correlation id, but no server path', async () => {
    await harness.say('exclusions rmm desktopnow');
    expect(harness.lastText()).toMatch(/`exclusions` failed: .*malformed.*correlation id [0-9a-f-]{36}/);
    await harness.say('untag rmm desktopnow fin-ws-001.contoso.local');
    expect(harness.lastText()).toMatch(/`untag` failed: .*correlation id [0-9a-f-]{36}/);
    expect(everythingSent()).not.toContain(dir);
    expect(everythingSent()).not.toContain('huntbot.db');
  });
});

describe('a bot whose tag store path is not a database at all', () => {
  let harness: BotHarness;
  let dir: string;

  beforeAll(async () => {
    dir = writeDesktopNowDataFolder(new Date()).dir;
    fs.writeFileSync(path.join(dir, 'huntbot.db'), 'this is not a SQLite database, just text '.repeat(200));
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), ...ENGINE_IN_THREAD });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts, is live but not ready, and says so without the path', async () => {
    expect((await fetch(`${harness.app.url}/healthz`)).status).toBe(200);
    const response = await fetch(`${harness.app.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: Record<string, string> };
    expect(body.checks.exclusionStore).toMatch(/^failing: /);
    expect(JSON.stringify(body)).not.toContain(dir);
  });
});

describe('a bot with healthy stores', () => {
  let harness: BotHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('is ready on /readyz with every check ok', async () => {
    const response = await fetch(`${harness.app.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', checks: { exclusionStore: 'ok', runState: 'ok', backend: 'ok' } });
  });
});
