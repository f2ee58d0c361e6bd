import { openSqlite } from '../../src/stores/sqlite-driver';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const ALLOWED_TENANT = '00000000-0000-0000-0000-0000000000aa';
const ALLOWED_TEAM = '19:huntbot-team@thread.tacv2';
const TAGGER = '00000000-0000-0000-0000-00000000a11c';

const tagger: ChatIdentity = { ...defaultIdentity('Tina Tagger'), userId: '29:tina', aadObjectId: TAGGER };
const member: ChatIdentity = { ...defaultIdentity('Mo Member'), userId: '29:mo', aadObjectId: '00000000-0000-0000-0000-0000000000m0'.replace('m', '0') };
const otherTeam: ChatIdentity = { ...member, userId: '29:ot', teamId: '19:other-team@thread.tacv2' };
const otherTenant: ChatIdentity = { ...member, userId: '29:tenant', tenantId: '00000000-0000-0000-0000-0000000000bb' };

describe('who may hunt and who may tag', () => {
  let harness: FixtureHarness;
  let fixture: { dir: string };

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({
      HUNT_ALLOWED_TENANTS: ALLOWED_TENANT,
      HUNT_ALLOWED_TEAMS: ALLOWED_TEAM,
      HUNT_TAGGERS: TAGGER,
    });
    fixture = harness.fixture;
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  async function huntAs(identity: ChatIdentity) {
    const before = harness.sent().length;
    await harness.say('hunt rmm desktopnow 5d', identity);
    await harness.app.runs.idle();
    return harness.sent().slice(before);
  }

  it.each([
    ['a member of an allowed team', member, true],
    ['a tagger', tagger, true],
    ['someone in another team', otherTeam, false],
    ['someone from another tenant', otherTenant, false],
  ])('decides whether %s may run hunts', async (_label, identity, allowed) => {
    const replies = await huntAs(identity as ChatIdentity);
    const running = replies.find((a) => isRunningCard(cardOf(a.activity)));
    if (allowed) expect(running).toBeDefined();
    else {
      expect(running).toBeUndefined();
      expect(harness.lastText()).toMatch(/^Sorry, you can't use `hunt` here: /);
    }
  });

  it('refuses hunts in a chat outside the allowed teams and says why', async () => {
    const chat = { ...member, userId: '29:chat', teamId: '' };
    await harness.say('hunt rmm desktopnow 5d', { ...chat, conversationId: 'a:1on1' });
    expect(harness.lastText()).toContain('not in chats');
  });

  it('lets only taggers tag, for card actions too, and audits the refusal', async () => {
    const replies = await huntAs(tagger);
    const messageId = replies.find((a) => isRunningCard(cardOf(a.activity)))!.id;
    const card = JSON.stringify(harness.card(messageId));
    const runId = /"verb":"hit\.tag","data":\{"runId":"([^"]+)"/.exec(card)![1];

    const refused = await harness.execute(messageId, 'hit.tag.save', { runId, deviceId: 'dev-a', scenario: 'backup-job' }, member);
    expect((refused.body as { value: string }).value).toContain("Sorry, you can't tag hits here");
    const refusedForm = await harness.execute(messageId, 'hit.tag', { runId, deviceId: 'dev-a' }, member);
    expect((refusedForm.body as { value: string }).value).toContain("Sorry, you can't tag hits here");

    const allowed = await harness.execute(messageId, 'hit.tag.save', { runId, deviceId: 'dev-a', scenario: 'backup-job' }, tagger);
    expect(cardText((allowed.body as { value: unknown }).value)).toContain('Benign: Backup job execution — Tina Tagger');

    await harness.say('untag rmm desktopnow dev-a', member);
    expect(harness.lastText()).toMatch(/^Sorry, you can't use `untag` here/);
    await harness.say('untag rmm desktopnow dev-a', tagger);
    expect(harness.lastText()).toContain('Removed the benign tag');

    const db = openSqlite(`${fixture.dir}/huntbot.db`, { readonly: true });
    const trail = db.prepare('SELECT action, actor_name FROM audit WHERE search_key = ? ORDER BY id').all('rmm/desktopnow|dev-a').map((row) => ({ ...(row as object) }));
    db.close();
    expect(trail).toEqual([
      { action: 'denied', actor_name: 'Mo Member' },
      { action: 'denied', actor_name: 'Mo Member' },
      { action: 'tag', actor_name: 'Tina Tagger' },
      { action: 'untag', actor_name: 'Tina Tagger' },
    ]);
  });

  it('ignores identity claims placed in card data', async () => {
    const replies = await huntAs(tagger);
    const messageId = replies.find((a) => isRunningCard(cardOf(a.activity)))!.id;
    const runId = /"verb":"hit\.tag","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(harness.card(messageId)))![1];
    const forged = await harness.execute(
      messageId,
      'hit.tag.save',
      { runId, deviceId: 'dev-b', scenario: 'backup-job', aadObjectId: TAGGER, from: { aadObjectId: TAGGER }, taggedByName: 'Tina Tagger' },
      member,
    );
    expect((forged.body as { value: string }).value).toContain("Sorry, you can't tag hits here");
  });
});
