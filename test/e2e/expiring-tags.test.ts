import * as path from 'node:path';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { actionData, actionsOn, type Card } from '../support/card-actions';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';

const DAY = 86_400_000;

describe('the daily card of tags about to expire, over HTTP (local mode, SQLite tags)', () => {
  let harness: FixtureHarness;
  const alice = defaultIdentity('Alice');
  const aliceElsewhere: ChatIdentity = { ...alice, conversationId: '19:other-room@thread.tacv2' };

  const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };

  beforeAll(async () => {
    // Alice may tag; Bob may hunt but not tag.
    // // The engine in the bot's own thread (a supported setting): the daily job reads the tag store, not the engine, and a worker pool costs seconds of CPU to start.
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_TAGGERS: alice.aadObjectId, HUNT_ENGINE_WORKERS: '0' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const readTags = async () => {
    const store = new SqliteExclusionStore(path.join(harness.fixture.dir, 'huntbot.db'));
    try {
      return { tags: await store.list(), audit: await store.auditTrail() };
    } finally {
      await store.close?.();
    }
  };

  /** Hunts in the identity's conversation and tags a device from the result card with the given expiry. */
  const tagFrom = async (who: ChatIdentity, deviceId: string, expiry: string) => {
    const result = await harness.huntToResult('hunt rmm desktopnow 5d', who);
    const form = await harness.execute(result.messageId, 'hit.tag', actionData(result.card, 'hit.tag', deviceId), who);
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    const saved = await harness.execute(result.messageId, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry }, who);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: Backup job execution');
  };

  const cardsPostedSince = (before: number) =>
    harness.connector.events.slice(before).filter((e) => e.operation === 'send' && actionsOn(harness.card(e.id), 'tags.expiry.extend').length + actionsOn(harness.card(e.id), 'tags.expiry.letExpire').length > 0);

  it('posts one card where expiring tags were made, and its buttons extend, let expire, and refuse non-taggers and presses from elsewhere', async () => {
    await tagFrom(alice, 'dev-a', '7d');
    await tagFrom(alice, 'dev-b', '7d');
    await tagFrom(aliceElsewhere, 'dev-c', '90d');

    // The job runs "tomorrow": both 7-day tags are due within the week; the 90-day one made elsewhere is not.
    const before = harness.connector.events.length;
    const outcome = await harness.app.tagExpiry.run(new Date(Date.now() + DAY));
    expect(outcome).toEqual({ kind: 'posted', cards: 1, failed: 0 });
    const posted = cardsPostedSince(before);
    expect(posted).toHaveLength(1);
    expect(posted[0].conversationId).toBe(alice.conversationId);
    const card = harness.card(posted[0].id)!;
    expect(cardText(card)).toContain('Tags about to expire (2)');
    expect(cardText(card)).toContain('fin-ws-001.contoso.local');
    expect(cardText(card)).toContain('hr-ws-017.contoso.local');
    expect(cardText(card)).not.toContain('it-srv-004.contoso.local');

    const extendA = actionsOn(card, 'tags.expiry.extend').find((d) => String(d.searchKey).endsWith('|dev-a') && d.days === 30)!;
    const letB = actionsOn(card, 'tags.expiry.letExpire').find((d) => String(d.searchKey).endsWith('|dev-b'))!;
    const { tags: beforeTags } = await readTags();
    const oldExpiry = beforeTags.find((t) => t.deviceId === 'dev-a')!.expiresAtUtc;

    // The same button pressed from another conversation is refused and changes nothing.
    const foreign = await harness.execute(posted[0].id, 'tags.expiry.extend', extendA, aliceElsewhere);
    expect((foreign.body as { value: unknown }).value).toBe('This card belongs to another conversation; its buttons work only where it was posted.');
    const afterForeign = await readTags();
    expect(afterForeign.tags.find((t) => t.deviceId === 'dev-a')!.expiresAtUtc).toBe(oldExpiry);
    expect(afterForeign.audit.some((e) => e.action === 'denied' && e.conversationId === aliceElsewhere.conversationId && e.detail.includes('card-from-another-conversation'))).toBe(true);

    // Someone who may not tag is refused before anything is read or written, and the refusal is audited.
    const notTagger = await harness.execute(posted[0].id, 'tags.expiry.extend', extendA, bob);
    expect(String((notTagger.body as { value: unknown }).value)).toMatch(/^Sorry, you can't extend tags here: /);
    const afterBob = await readTags();
    expect(afterBob.tags.find((t) => t.deviceId === 'dev-a')!.expiresAtUtc).toBe(oldExpiry);
    expect(afterBob.audit.some((e) => e.action === 'denied' && e.actorAadObjectId === bob.aadObjectId && e.searchKey === extendA.searchKey)).toBe(true);

    // Extend 30 days: the store has the new expiry, the audit says who and old → new, everyone's card drops the row.
    const extended = await harness.execute(posted[0].id, 'tags.expiry.extend', extendA, alice);
    const clickerCard = (extended.body as { value: Card }).value;
    expect(cardText(clickerCard)).toContain('extended 30 days by Alice');
    const after = await readTags();
    const newExpiry = after.tags.find((t) => t.deviceId === 'dev-a')!.expiresAtUtc;
    expect(Date.parse(newExpiry) - Date.parse(oldExpiry)).toBe(30 * DAY);
    expect(after.audit.some((e) => e.searchKey === extendA.searchKey && e.actorName === 'Alice' && e.detail === `extend 30 days: expiry ${oldExpiry} -> ${newExpiry}`)).toBe(true);
    const shared = harness.card(posted[0].id)!;
    expect(actionsOn(shared, 'tags.expiry.extend').map((d) => d.searchKey)).not.toContain(extendA.searchKey);
    expect(cardText(shared)).toContain('fin-ws-001.contoso.local (rmm');

    // Pressing it again tells what already happened and extends nothing more.
    const again = await harness.execute(posted[0].id, 'tags.expiry.extend', extendA, alice);
    expect(String((again.body as { value: unknown }).value)).toContain('Nothing changed: this tag was already decided.');
    expect((await readTags()).tags.find((t) => t.deviceId === 'dev-a')!.expiresAtUtc).toBe(newExpiry);

    // Let expire: the tag is unchanged, the choice is audited, the row leaves the card.
    const dropped = await harness.execute(posted[0].id, 'tags.expiry.letExpire', letB, alice);
    expect(cardText((dropped.body as { value: Card }).value)).toContain('Alice chose to let it expire');
    const final = await readTags();
    expect(final.tags.find((t) => t.deviceId === 'dev-b')!.expiresAtUtc).toBe(beforeTags.find((t) => t.deviceId === 'dev-b')!.expiresAtUtc);
    expect(final.audit.some((e) => e.searchKey === letB.searchKey && e.detail.startsWith('let expire'))).toBe(true);
    expect(actionsOn(harness.card(posted[0].id), 'tags.expiry.letExpire')).toEqual([]);
    expect(cardText(harness.card(posted[0].id))).toContain('Every tag on this card has been decided.');
  });

  it('runs once a day: the same day again posts nothing', async () => {
    const before = harness.connector.events.length;
    expect(await harness.app.tagExpiry.run(new Date(Date.now() + DAY + 60_000))).toEqual({ kind: 'skipped', reason: 'already-done' });
    expect(cardsPostedSince(before)).toEqual([]);
  });

  it('posts nothing on a day when nothing expires within the week', async () => {
    const before = harness.connector.events.length;
    // In 60 days the extended and the let-expire tags have expired and the 90-day one is still a month away.
    expect(await harness.app.tagExpiry.run(new Date(Date.now() + 60 * DAY))).toEqual({ kind: 'posted', cards: 0, failed: 0 });
    expect(cardsPostedSince(before)).toEqual([]);
  });

  it('lists a family-scoped tag and the tags of "Tag all on this page" where they were made', async () => {
    const room3: ChatIdentity = { ...alice, conversationId: '19:third-room@thread.tacv2' };
    for (const id of ['dev-a', 'dev-b', 'dev-c']) await harness.say(`untag rmm desktopnow ${id}`, room3);
    const first = await harness.huntToResult('hunt rmm desktopnow 5d', room3);
    const scoped = await harness.execute(first.messageId, 'hit.tag.save', { ...actionData(first.card, 'hit.tag', 'dev-a'), scenario: 'backup-job', justification: 'Family-wide', expiry: '7d', scope: 'family-device' }, room3);
    expect(cardText((scoped.body as { value: Card }).value)).toContain('every tool of this family on this device');
    const second = await harness.huntToResult('hunt rmm desktopnow 5d', room3);
    const page = actionData(second.card, 'results.tagpage');
    const bulk = await harness.execute(second.messageId, 'results.tagpage.save', { ...page, deviceIds: 'dev-b\ndev-c', scenario: 'backup-job', justification: 'Nightly backups', expiry: '7d', scope: 'device' }, room3);
    expect(cardText((bulk.body as { value: Card }).value)).toContain('Tagged 2 devices as benign');

    const before = harness.connector.events.length;
    expect(await harness.app.tagExpiry.run(new Date(Date.now() + 2 * DAY))).toEqual({ kind: 'posted', cards: 1, failed: 0 });
    const posted = cardsPostedSince(before);
    expect(posted.map((p) => p.conversationId)).toEqual([room3.conversationId]);
    const keys = actionsOn(harness.card(posted[0].id), 'tags.expiry.letExpire').map((d) => d.searchKey).sort();
    expect(keys).toEqual(['rmm/*|dev-a', 'rmm/desktopnow|dev-b', 'rmm/desktopnow|dev-c']);
  });
});
