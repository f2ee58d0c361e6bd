import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../src/logging/logger';
import { DailyLease } from '../../src/scheduling/daily-lease';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { TagConversations } from '../../src/tags/expiry-conversations';
import { NOTICE_GRACE_DAYS, TagExpiryJob } from '../../src/tags/expiry-job';
import { ExpiryNotices, MAX_KEPT_NOTICES } from '../../src/tags/expiry-notices';

const NOW = new Date('2026-12-03T08:00:00.000Z');
const DAY = 86_400_000;
const conversation = { id: '19:a', tenantId: 't' };
const row = { searchKey: 'rmm|d1', huntKey: 'rmm', deviceName: 'd1', expiresAtUtc: new Date(NOW.getTime() + 3 * DAY).toISOString() };

describe('expiring-tags notices kept in the state store', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-expiry-notices-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the daily job deletes notices older than the notice window plus the grace period, and keeps newer ones', async () => {
    const state = new MemoryStateStore();
    const store = new SqliteExclusionStore(path.join(dir, 'tags.db'));
    try {
      const notices = new ExpiryNotices(state);
      const job = new TagExpiryJob({
        store, conversations: new TagConversations(state, silentLogger), notices, lease: new DailyLease(state, 'lease', 'me', 60_000),
        poster: { post: async () => 'activity' }, logger: silentLogger, days: 7,
      });
      const old = await notices.create(conversation, { id: '19:a' }, [row], NOW);
      const recent = await notices.create(conversation, { id: '19:a' }, [row], new Date(NOW.getTime() + 10 * DAY));

      await job.run(new Date(NOW.getTime() + (7 + NOTICE_GRACE_DAYS) * DAY - 60_000));
      expect(await notices.get(old.noticeId)).toBeDefined();
      await job.run(new Date(NOW.getTime() + (7 + NOTICE_GRACE_DAYS + 1) * DAY));
      expect(await notices.get(old.noticeId)).toBeUndefined();
      expect(await notices.get(recent.noticeId)).toBeDefined();
    } finally {
      await store.close();
    }
  });

  it('keeps at most MAX_KEPT_NOTICES, so however many are posted they never evict the conversations index or the lease', async () => {
    // Room for the kept notices, their index, the conversations index and the lease: nothing more.
    const state = new MemoryStateStore(MAX_KEPT_NOTICES + 3);
    const conversations = new TagConversations(state, silentLogger);
    await conversations.remember('rmm|d1', conversation, { id: '19:a' });
    const lease = new DailyLease(state, 'tag-expiry/daily-lease', 'me', 60_000);
    const claim = await lease.claim(NOW);
    if (claim.kind !== 'won') throw new Error('lease not won');
    await lease.complete(claim, NOW);

    const notices = new ExpiryNotices(state);
    const made = [];
    for (let i = 0; i < MAX_KEPT_NOTICES + 20; i++) made.push(await notices.create(conversation, { id: '19:a' }, [row], new Date(NOW.getTime() + i * 1000)));

    expect(await conversations.all()).toHaveLength(1);
    expect(await lease.claim(new Date(NOW.getTime() + 60_000))).toEqual({ kind: 'already-done', day: '2026-12-03' });
    expect(await notices.get(made[0].noticeId)).toBeUndefined();
    expect(await notices.get(made[19].noticeId)).toBeUndefined();
    expect(await notices.get(made[20].noticeId)).toBeDefined();
    expect(await notices.get(made.at(-1)!.noticeId)).toBeDefined();
  });
});
