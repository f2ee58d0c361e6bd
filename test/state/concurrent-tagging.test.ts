import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { BotHarness } from '../support/bot-harness';
import { actionOn, cardDevices } from '../support/card-devices';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';

type Card = Record<string, unknown>;

/** Twelve devices: one card page, so the shared card shows every device's tag. */
const DEVICES = Array.from({ length: 12 }, (_, i) => ({ id: `dev-${String(i).padStart(2, '0')}`, name: `ws-${String(i).padStart(2, '0')}.contoso.local` }));
const CLICKERS = 50;

function responder(i: number): ChatIdentity {
  const n = String(i).padStart(3, '0');
  return { ...defaultIdentity(`Responder ${n}`), userId: `29:responder-${n}`, aadObjectId: `00000000-0000-0000-0000-000000000${n}` };
}

describe('fifty responders tagging and untagging one card at once, run state in Azure Blob Storage (Azurite), over HTTP', () => {
  let azurite: RunningAzurite;
  let harness: BotHarness;
  let store: SqliteExclusionStore;
  let dataDir: string;
  const container = `huntbot-${randomUUID()}`;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-clickers-'));
    const now = Date.now();
    const rows = DEVICES.map((d, i) => JSON.stringify(certRow(d.id, d.name, 'NCH Software Pty Ltd', new Date(now - (i + 1) * 3_600_000), 1000 + i)));
    fs.writeFileSync(path.join(dataDir, 'DeviceFileCertificateInfo.jsonl'), rows.join('\n') + '\n');
    azurite = await startAzurite();
    harness = await BotHarness.start({
      HUNT_DATA_DIR: dataDir,
      HUNT_STORE_PATH: path.join(dataDir, 'huntbot.db'),
      HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString,
      HUNT_STATE_BLOB_CONTAINER: container,
    });
    store = new SqliteExclusionStore(path.join(dataDir, 'huntbot.db'));
  });

  afterAll(async () => {
    await store?.close();
    await harness?.stop();
    await azurite?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const hunt = () => harness.huntToResult('hunt rmm desktopnow 5d', alice);

  it('answers every clicker with what the store holds, and leaves the shared card showing the store', async () => {
    const { messageId, card } = await hunt();
    // The first six devices start tagged (one at a time); the clickers then untag those and tag the other six.
    for (const d of DEVICES.slice(0, 6)) {
      await harness.execute(messageId, 'hit.tag.save', { ...actionOn(card, 'hit.tag', d.id), scenario: 'backup-job' }, alice);
    }
    const runId = String(actionOn(card, 'hit.tag', DEVICES[6].id).runId);
    const plans = Array.from({ length: CLICKERS }, (_, i) => {
      const device = DEVICES[i % DEVICES.length];
      const untag = i % DEVICES.length < 6;
      return { who: responder(i), device: device.id, verb: untag ? 'hit.untag' : 'hit.tag.save', data: { runId, deviceId: device.id, ...(untag ? {} : { scenario: 'remote-desktop' }) } };
    });

    const answers = await Promise.all(plans.map((p) => harness.execute(messageId, p.verb, p.data, p.who)));

    const trail = await store.auditTrail();
    const told = answers.map((answer, i) => {
      const body = (answer.body as { value: unknown }).value;
      return { status: answer.status, text: typeof body === 'string' ? body : cardText(body), plan: plans[i] };
    });
    // Every clicker was told it landed, and it did: the store's audit trail has that clicker's action.
    const untruthful = told
      .filter(({ status, text, plan }) => {
        const action = plan.verb === 'hit.untag' ? 'untag' : 'tag';
        const landed = trail.some((e) => e.action === action && e.actorAadObjectId === plan.who.aadObjectId && e.searchKey === `rmm/desktopnow|${plan.device}`);
        return status !== 200 || /NOT (saved|removed)/.test(text) || !landed;
      })
      .map(({ plan, text }) => `${plan.who.userName} ${plan.verb} ${plan.device}: ${text.split('\n')[0].slice(0, 160)}`);
    expect(untruthful).toEqual([]);

    const tags = new Map((await store.list('rmm/desktopnow')).map((t) => [t.deviceId, t]));
    expect([...tags.keys()].sort()).toEqual(DEVICES.slice(6).map((d) => d.id));
    const shared = cardDevices(harness.card(messageId));
    for (const d of DEVICES) {
      const row = shared.get(d.id);
      expect({ device: d.id, tagged: row?.tagged }).toEqual({ device: d.id, tagged: tags.has(d.id) });
      const tag = tags.get(d.id);
      if (tag) expect(row?.text).toContain(`Benign: Remote desktop session by an admin — ${tag.taggedByName}`);
    }
    // The stored run converged too: paging the result (rendered from run state) shows the store's tags.
    const paged = await harness.execute(messageId, 'results.view', { runId, page: 0 }, alice);
    const pagedRows = cardDevices((paged.body as { value: Card }).value);
    for (const d of DEVICES) expect({ device: d.id, tagged: pagedRows.get(d.id)?.tagged }).toEqual({ device: d.id, tagged: tags.has(d.id) });
  });

  it('says the tag was saved, and that the stored result could not be refreshed, when the run state refuses the update', async () => {
    const { messageId, card } = await hunt();
    const runId = String(actionOn(card, 'hit.tag', DEVICES[0].id).runId);
    const data = { runId, deviceId: DEVICES[0].id, scenario: 'backup-job' };
    // A lease held by someone else: the run's blob can be read but not written (412 LeaseIdMissing).
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container);
    const runBlobs: string[] = [];
    for await (const blob of blobs.listBlobsFlat()) if (blob.name.includes(runId)) runBlobs.push(blob.name);
    expect(runBlobs).toHaveLength(1);
    const lease = blobs.getBlobClient(runBlobs[0]).getBlobLeaseClient();
    await lease.acquireLease(60);
    try {
      const reply = await harness.execute(messageId, 'hit.tag.save', data, alice);
      const text = cardText((reply.body as { value: Card }).value);
      expect(text).not.toContain('NOT saved');
      expect(text).toContain('Benign: Backup job execution — Alice');
      expect(text).toContain('Saved, but');
      expect((await store.list('rmm/desktopnow')).some((t) => t.deviceId === DEVICES[0].id)).toBe(true);
      // The shared card is rendered from the store, so it shows the tag even though the stored run is stale.
      expect(cardDevices(harness.card(messageId)).get(DEVICES[0].id)?.tagged).toBe(true);
    } finally {
      await lease.releaseLease();
    }
  });
});
