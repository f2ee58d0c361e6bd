import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AdaptiveCardJson } from '../../src/domain/adaptive-card';
import { silentLogger } from '../../src/logging/logger';
import { DailyLease } from '../../src/scheduling/daily-lease';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { TagConversations } from '../../src/tags/expiry-conversations';
import { ROWS_PER_CARD, TagExpiryJob, type ProactiveCardPoster } from '../../src/tags/expiry-job';
import { ExpiryNotices } from '../../src/tags/expiry-notices';

const NOW = new Date('2026-12-03T08:00:00.000Z');
const DAY = 86_400_000;

/** The bot layer's side of posting: records what would go to each conversation; `refuse` names conversations the bot was removed from. */
class RecordingPoster implements ProactiveCardPoster {
  readonly posts: Array<{ conversationId: string; card: AdaptiveCardJson }> = [];
  constructor(private readonly refuse: string[] = []) {}
  async post(reference: unknown, card: AdaptiveCardJson): Promise<string> {
    const conversationId = (reference as { id: string }).id;
    if (this.refuse.includes(conversationId)) throw new Error('403 the bot is not part of the conversation roster');
    this.posts.push({ conversationId, card });
    return `activity-${this.posts.length}`;
  }
}

describe('the daily expiring-tags job', () => {
  let dir: string;
  let store: SqliteExclusionStore;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-expiry-job-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    store = new SqliteExclusionStore(path.join(dir, `${Date.now()}-${Math.random()}.db`));
  });
  afterEach(async () => store.close());

  const setUp = async (tags: Array<[string, string, number]>, poster: RecordingPoster) => {
    const state = new MemoryStateStore();
    const conversations = new TagConversations(state, silentLogger);
    for (const [conversationId, device, days] of tags) {
      const searchKey = `rmm|${device}`;
      await store.upsert({
        searchKey, huntKey: 'rmm', deviceId: device, deviceName: `${device}.contoso.local`, scenario: 'backup-job', justification: 'nightly',
        taggedByUpn: '', taggedByAadObjectId: 'a', taggedByName: 'Alice', taggedAtUtc: NOW.toISOString(), expiresAtUtc: new Date(NOW.getTime() + days * DAY).toISOString(),
      });
      await conversations.remember(searchKey, { id: conversationId, tenantId: 't' }, { id: conversationId });
    }
    return new TagExpiryJob({
      store, conversations, notices: new ExpiryNotices(state), lease: new DailyLease(state, 'lease', 'me', 60_000), poster, logger: silentLogger, days: 7,
    });
  };

  it('posts nothing when nothing expires within the window', async () => {
    const poster = new RecordingPoster();
    const job = await setUp([['19:a', 'd1', 30]], poster);
    expect(await job.run(NOW)).toEqual({ kind: 'posted', cards: 0, failed: 0 });
    expect(poster.posts).toEqual([]);
  });

  it('splits a long list into cards of at most ROWS_PER_CARD rows', async () => {
    const poster = new RecordingPoster();
    const job = await setUp(Array.from({ length: 2 * ROWS_PER_CARD + 5 }, (_, i): [string, string, number] => ['19:a', `d${i}`, 3]), poster);
    expect(await job.run(NOW)).toEqual({ kind: 'posted', cards: 3, failed: 0 });
    const rows = poster.posts.map((p) => JSON.stringify(p.card).match(/"verb":"tags\.expiry\.letExpire"/g)?.length);
    expect(rows).toEqual([ROWS_PER_CARD, ROWS_PER_CARD, 5]);
  });

  it('still posts to the other conversations when one refuses, and counts the day as done', async () => {
    const poster = new RecordingPoster(['19:gone']);
    const job = await setUp([['19:gone', 'd1', 2], ['19:ok', 'd2', 2]], poster);
    expect(await job.run(NOW)).toEqual({ kind: 'posted', cards: 1, failed: 1 });
    expect(poster.posts.map((p) => p.conversationId)).toEqual(['19:ok']);
    expect(await job.run(new Date(NOW.getTime() + 3_600_000))).toEqual({ kind: 'skipped', reason: 'already-done' });
  });
});
