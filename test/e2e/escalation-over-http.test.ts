import * as fs from 'node:fs';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData, invokeValue } from '../support/card-actions';
import { cardText } from '../support/card-text';
import { sentinelWorkspaceEnv, startDesktopNowWorkspace } from '../support/sentinel-workspace-env';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { FakeSentinelResources } from '../fakes/sentinel-resources';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { SqliteAuditLog } from '../../src/stores/sqlite-audit-log';
import { openSqliteDatabase } from '../../src/stores/sqlite-database';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { cardOf } from '../../src/cli/chat/card-text';

const TENANT = '00000000-0000-0000-0000-0000000000aa';
const TAGGER = '00000000-0000-0000-0000-00000000a11c';
const tagger: ChatIdentity = { ...defaultIdentity('Tina Tagger'), userId: '29:tina', aadObjectId: TAGGER };
const member: ChatIdentity = { ...defaultIdentity('Mo Member'), userId: '29:mo', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };
const taggerElsewhere: ChatIdentity = { ...tagger, conversationId: '19:other-channel@thread.tacv2' };
const taggerOtherTenant: ChatIdentity = { ...tagger, tenantId: '00000000-0000-0000-0000-0000000000bb' };


function auditOf(storePath: string) {
  const db = openSqliteDatabase(storePath);
  try {
    return new SqliteAuditLog(db).entries();
  } finally {
    db.close();
  }
}

describe('bookmarking a hit and adding it to an incident, locally (no Sentinel)', () => {
  let harness: FixtureHarness;
  let storePath: string;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_ALLOWED_TENANTS: TENANT, HUNT_TAGGERS: TAGGER, HUNT_RESULT_TTL_SECONDS: '0' });
    storePath = harness.fixture.storePath;
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('offers Bookmark on every hit row, asks for a note, and shows "Bookmarked by" to everyone', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const press = actionData(card, 'hit.bookmark', 'dev-a');
    expect(harness.fixture.expectedDevices.length).toBe(3);
    expect(JSON.stringify(card).match(/"verb":"hit\.bookmark"/g)).toHaveLength(3);

    const form = await harness.execute(messageId, 'hit.bookmark', press, tagger);
    expect(cardText(invokeValue<unknown>(form))).toContain('Bookmark fin-ws-001.contoso.local');
    expect(cardText(invokeValue<unknown>(form))).toContain("kept in the bot's local store");

    const saved = await harness.execute(messageId, 'hit.bookmark.save', { ...press, note: 'User says she never installed it' }, tagger);
    const text = cardText(invokeValue<unknown>(saved));
    expect(text).toContain('Bookmarked fin-ws-001.contoso.local in the local store.');
    expect(text).toMatch(/Bookmarked by Tina Tagger, .* \(in the local store; `bookmarks` lists it\)/);
    expect(cardText(harness.card(messageId))).toMatch(/Bookmarked by Tina Tagger/);
    expect(actionData(harness.card(messageId), 'hit.incident', 'dev-a')).toBeDefined();

    await harness.say('bookmarks', tagger);
    const listed = harness.sent().at(-1)!;
    const listText = cardText(cardOf(listed.activity));
    expect(listText).toContain('Hunting bookmarks in the local store');
    expect(listText).toContain('DesktopNow');
    expect(listText).toContain('User says she never installed it');
    expect(listText).toContain('Tina Tagger');
  });

  it('pressing Create bookmark twice makes one bookmark and says the second time that it already existed', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const press = actionData(card, 'hit.bookmark', 'dev-b');
    await harness.execute(messageId, 'hit.bookmark.save', { ...press, note: 'first' }, tagger);
    const again = await harness.execute(messageId, 'hit.bookmark.save', { ...press, note: 'second' }, tagger);

    expect(cardText(invokeValue<unknown>(again))).toContain('hr-ws-017.contoso.local was already bookmarked for this run (by Tina Tagger); no second bookmark was made.');
    const db = openSqliteDatabase(storePath);
    try {
      const rows = db.prepare("SELECT json FROM bookmarks WHERE device_id = 'dev-b' AND run_id = ?").all(String(press.runId)) as unknown[];
      expect(rows).toHaveLength(1);
    } finally {
      db.close();
    }
    expect(auditOf(storePath).filter((e) => e.action === 'bookmark' && e.searchKey === 'rmm/desktopnow|dev-b').map((e) => e.outcome)).toEqual([
      'created (local store)',
      'already bookmarked (local store)',
    ]);
  });

  it('records the incident number on the local bookmark and says it was recorded locally', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const press = actionData(card, 'hit.bookmark', 'dev-a');
    const form = await harness.execute(messageId, 'hit.incident', press, tagger);
    expect(cardText(invokeValue<unknown>(form))).toContain('the incident number is recorded on the local bookmark only');

    const bad = await harness.execute(messageId, 'hit.incident.save', { ...press, incidentNumber: '12; drop' }, tagger);
    expect(cardText(invokeValue<unknown>(bad))).toContain('Type the incident number (digits only, e.g. 1234)');

    const added = await harness.execute(messageId, 'hit.incident.save', { ...press, incidentNumber: '#4711' }, tagger);
    expect(cardText(invokeValue<unknown>(added))).toContain('Added the bookmark of fin-ws-001.contoso.local to incident #4711 (recorded locally: no Sentinel workspace is configured).');
    expect(cardText(harness.card(messageId))).toContain('added to incident #4711');
  });

  it.each([
    ['someone who may hunt but not tag', member, "Sorry, you can't escalate hits here"],
    ['a tagger in another conversation', taggerElsewhere, "another conversation's hunt"],
    ['a tagger from another tenant', taggerOtherTenant, "Sorry, you can't escalate hits here"],
  ])('refuses %s before anything is read or written, and audits the refusal', async (_who, identity, message) => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const press = actionData(card, 'hit.bookmark', 'dev-c');
    const before = auditOf(storePath).length;

    for (const verb of ['hit.bookmark', 'hit.bookmark.save', 'hit.incident.save']) {
      const refused = await harness.execute(messageId, verb, { ...press, note: 'x', incidentNumber: '1' }, identity as ChatIdentity);
      expect(String(invokeValue<unknown>(refused))).toContain(message);
    }
    const db = openSqliteDatabase(storePath);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM bookmarks WHERE device_id = 'dev-c'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const audited = auditOf(storePath).slice(before);
    expect(audited.map((e) => e.action)).toEqual(['denied', 'denied', 'denied']);
    expect(audited.every((e) => e.actorAadObjectId === (identity as ChatIdentity).aadObjectId && e.detail.endsWith('(escalation)'))).toBe(true);
  });
});

describe('bookmarking against Sentinel (ARM bookmarks, incidents, relations, comments)', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  let arm: FakeWatchlistServer;
  let sentinel: FakeSentinelResources;
  const storePath = `/tmp/huntbot-escalation-${process.pid}.db`;
  const alice = defaultIdentity('Alice');
  const WORKSPACE = '/subscriptions/00000000-aaaa-bbbb-cccc-000000000001/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-sentinel';

  beforeAll(async () => {
    sentinel = new FakeSentinelResources(() => arm.endpoint, { pageSize: 1 });
    arm = await FakeWatchlistServer.start({ routes: sentinel });
    la = await startDesktopNowWorkspace(arm);
    harness = await BotHarness.start(
      {
        ...sentinelWorkspaceEnv({ logAnalytics: la.endpoint, arm: arm.endpoint }),
        HUNT_STORE_PATH: storePath,
        HUNT_RESULT_TTL_SECONDS: '0',
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    await arm?.close();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-escalation-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
  });

  it('creates one Sentinel bookmark with the exact KQL that ran, links to it, and adds it to an offered incident with a comment', async () => {
    // #31 is the newest (seeded in the same millisecond, the two would tie and the fake's first page could be #32).
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const incidentId = sentinel.seedIncident(WORKSPACE, { number: 31, title: 'Remote access tool on finance workstation', hosts: ['fin-ws-001'], createdTimeUtc: hoursAgo(1) });
    sentinel.seedIncident(WORKSPACE, { number: 32, title: 'Unrelated', hosts: ['other'], createdTimeUtc: hoursAgo(2) });
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const press = actionData(card, 'hit.bookmark', 'dev-a');

    const form = await harness.execute(messageId, 'hit.bookmark', press, alice);
    expect(cardText(invokeValue<unknown>(form))).toContain('Creates a Microsoft Sentinel hunting bookmark');
    await harness.execute(messageId, 'hit.bookmark.save', { ...press, note: 'Escalating' }, alice);
    const twice = await harness.execute(messageId, 'hit.bookmark.save', { ...press, note: 'Escalating' }, alice);
    expect(cardText(invokeValue<unknown>(twice))).toContain('was already bookmarked for this run (by Alice)');

    expect(sentinel.bookmarks.size).toBe(1);
    const bookmark = [...sentinel.bookmarks.values()][0]!;
    expect(bookmark.properties.query).toBe(la.requests.at(-1)!.query);
    expect(bookmark.properties.labels).toEqual(expect.arrayContaining(['huntbot', 'T1219']));
    const shared = harness.card(messageId)!;
    expect(cardText(shared)).toMatch(/Bookmarked by Alice, .* \(in Sentinel\)/);
    expect(JSON.stringify(shared)).toContain(`"url":"https://portal.azure.com/#resource${bookmark.id}"`);

    const offer = await harness.execute(messageId, 'hit.incident', press, alice);
    const offerText = cardText(invokeValue<unknown>(offer));
    expect(offerText).toContain('#31 Remote access tool on finance workstation');
    expect(offerText).not.toContain('Unrelated');
    // The fake answers one incident per page and only the first page is read: the form says the list was cut.
    expect(offerText).toContain('The list below may be incomplete: only the newest open incident of the week was checked for this device.');

    const added = await harness.execute(messageId, 'hit.incident.save', { ...press, incidentNumber: '', offered: '31' }, alice);
    expect(cardText(invokeValue<unknown>(added))).toContain('Added the bookmark of fin-ws-001.contoso.local to incident #31 and commented on it.');
    const incident = sentinel.incidents.get(incidentId.toLowerCase())!;
    expect([...incident.relations.values()][0]!.properties.relatedResourceId).toBe(bookmark.id);
    const comment = String([...incident.comments.values()][0]!.properties.message);
    expect(comment).toContain('Alice added the hunting bookmark');
    expect(comment).toContain('rmm/desktopnow');
    expect(comment).toContain(`https://portal.azure.com/#resource${bookmark.id}`);
    expect(cardText(harness.card(messageId))).toContain('added to incident #31 Remote access tool on finance workstation');
  });

  it('says exactly what happened when Sentinel throttles for longer than a button press can wait, and creates it on retry', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const press = actionData(card, 'hit.bookmark', 'dev-b');
    sentinel.failNext('PUT bookmark', { status: 429, retryAfterSeconds: 120 });

    const throttled = await harness.execute(messageId, 'hit.bookmark.save', press, alice);
    const text = cardText(invokeValue<unknown>(throttled));
    expect(text).toMatch(/The bookmark was NOT created: Sentinel is throttling requests \(HTTP 429\)\. Try again in 120 s\. \(correlation id [0-9a-f-]{36}\)/);
    expect(text).toContain('Retry bookmark');
    expect(cardText(harness.card(messageId))).not.toContain('Bookmarked by');

    const retried = await harness.execute(messageId, 'hit.bookmark.save', press, alice);
    expect(cardText(invokeValue<unknown>(retried))).toContain('Bookmarked hr-ws-017.contoso.local in Sentinel.');
    expect(auditOf(storePath).filter((e) => e.searchKey === 'rmm/desktopnow|dev-b').map((e) => e.outcome?.replace(/: .*/, ''))).toEqual(['failed', 'created (HTTP 201)']);
  });

  it('names an incident number that does not exist and adds nothing', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const press = actionData(card, 'hit.bookmark', 'dev-a');
    const reply = await harness.execute(messageId, 'hit.incident.save', { ...press, incidentNumber: '9999' }, alice);
    expect(cardText(invokeValue<unknown>(reply))).toContain('There is no incident #9999 in workspace law-sentinel.');
  });

  it('when the relation lands but the comment fails, says it was added and that the comment was not, never "commented on it"', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const press = actionData(card, 'hit.bookmark', 'dev-b');
    sentinel.seedIncident(WORKSPACE, { number: 41, title: 'HR workstation', hosts: ['hr-ws-017'] });
    sentinel.failNext('PUT comment', { status: 400, code: 'BadRequest', message: 'Comment rejected' });
    const added = await harness.execute(messageId, 'hit.incident.save', { ...press, incidentNumber: '41' }, alice);
    const text = cardText(invokeValue<unknown>(added));
    expect(text).toContain('Added the bookmark of hr-ws-017.contoso.local to incident #41.');
    expect(text).toMatch(/The comment was not added: .*Comment rejected/);
    expect(text).not.toContain('commented on it');
  });
});
