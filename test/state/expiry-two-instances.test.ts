import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { BotHarness } from '../support/bot-harness';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { actionData, actionsOn, type Card } from '../support/card-actions';
import { cardText } from '../support/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { createStateStore } from '../../src/bot/blob-state-store';
import { DailyLease } from '../../src/scheduling/daily-lease';
import type { StateStore } from '../../src/state/state-store';

/** A real store whose writes wait until `parties` reads have happened: both contenders see the same version. */
function afterAllRead(store: StateStore, barrier: { reads: number; parties: number; open: Promise<void>; release: () => void }): StateStore {
  return {
    name: store.name,
    read: async (key) => {
      const value = await store.read(key);
      if (++barrier.reads >= barrier.parties) barrier.release();
      return value as never;
    },
    write: async (key, value, etag) => {
      await barrier.open;
      return store.write(key, value, etag);
    },
    delete: (key) => store.delete(key),
  };
}

const DAY = 86_400_000;

describe('two bot instances sharing Blob run state (Azurite) and the daily expiring-tags job', () => {
  let azurite: RunningAzurite;
  let a: BotHarness;
  let b: BotHarness;
  let dataDir: string | undefined;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    azurite = await startAzurite();
    const shared = { HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString, HUNT_STATE_BLOB_CONTAINER: `huntbot-${randomUUID()}` };
    // One tag store for both (in production the Sentinel watchlist); run state, conversation references and the lease only in Blob.
    // Both start at once, on one data folder and one tag store.
    const data = writeDesktopNowDataFolder(new Date());
    const storePath = path.join(data.dir, 'huntbot.db');
    dataDir = data.dir;
    [a, b] = await Promise.all([
      BotHarness.start({ ...shared, HUNT_DATA_DIR: data.dir, HUNT_STORE_PATH: storePath }),
      // B never hunts: its engine runs in its own thread (a supported setting), sparing a worker pool's start.
      BotHarness.start({ ...shared, HUNT_DATA_DIR: data.dir, HUNT_STORE_PATH: storePath, HUNT_ENGINE_WORKERS: '0' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await azurite?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets one of two instances win the lease in Blob when both read it before either writes (created, then taken over)', async () => {
    const container = `lease-${randomUUID()}`;
    const settings = { kind: 'azure-blob' as const, connectionString: azurite.connectionString, container };
    const race = async (at: Date) => {
      let release = () => undefined as void;
      const barrier = { reads: 0, parties: 2, release: () => release(), open: new Promise<void>((resolve) => (release = resolve)) };
      const contenders = ['A', 'B'].map((holder) => new DailyLease(afterAllRead(createStateStore(settings).store, barrier), 'tag-expiry/daily-lease', holder, 60_000));
      return Promise.all(contenders.map((lease) => lease.claim(at)));
    };
    const first = await race(new Date('2026-12-03T08:00:00Z'));
    expect(first.map((c) => c.kind).sort()).toEqual(['held-elsewhere', 'won']);
    // The winner never completed; after its lease expired, the two race for the takeover (If-Match on the same version).
    const takeover = await race(new Date('2026-12-03T08:05:00Z'));
    expect(takeover.map((c) => c.kind).sort()).toEqual(['held-elsewhere', 'won']);
  });

  it('posts exactly one card when the job fires on both instances at once, and either instance answers its buttons', async () => {
    const result = await a.huntToResult('hunt rmm desktopnow 5d', alice);
    const form = await a.execute(result.messageId, 'hit.tag', actionData(result.card, 'hit.tag', 'dev-a'), alice);
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    await a.execute(result.messageId, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry: '7d' }, alice);

    const before = a.connector.events.length;
    const at = new Date(Date.now() + DAY);
    const outcomes = await Promise.all([a.app.tagExpiry.run(at), b.app.tagExpiry.run(at)]);
    expect(outcomes.filter((o) => o.kind === 'posted')).toEqual([{ kind: 'posted', cards: 1, failed: 0 }]);
    expect(outcomes.filter((o) => o.kind === 'skipped')).toHaveLength(1);
    // Both instances post through the conversation reference, which names A's connector: every card would land here.
    const cards = a.connector.events.slice(before).filter((e) => e.operation === 'send' && actionsOn(a.card(e.id), 'tags.expiry.extend').length > 0);
    expect(cards).toHaveLength(1);
    expect(b.connector.events).toEqual([]);

    // Instance B answers a press on the card A or B posted: the notice is in the shared state.
    const card = a.card(cards[0].id)!;
    const extend = actionsOn(card, 'tags.expiry.extend').find((d) => d.days === 90)!;
    const pressed = await b.execute(cards[0].id, 'tags.expiry.extend', extend, alice);
    expect(cardText((pressed.body as { value: Card }).value)).toContain('extended 90 days by Alice');
    const store = new SqliteExclusionStore(path.join(dataDir!, 'huntbot.db'));
    try {
      const tag = (await store.list()).find((t) => t.deviceId === 'dev-a')!;
      expect(Date.parse(tag.expiresAtUtc) - Date.parse(tag.taggedAtUtc)).toBeGreaterThan(96 * DAY);
    } finally {
      await store.close?.();
    }
  });
});
