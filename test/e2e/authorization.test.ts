import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStateStore } from '../../src/bot/blob-state-store';
import type { HuntRun } from '../../src/domain/hunt-run';
import { RunRegistry } from '../../src/runs/run-registry';
import { openSqlite } from '../../src/stores/sqlite-driver';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { certRow } from '../support/telemetry-fixture';
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
      // // The engine in the bot's own thread (a supported setting): authorization is decided before any query, and a worker pool costs seconds of CPU to start.
      HUNT_ENGINE_WORKERS: '0',
      HUNT_ALLOWED_TENANTS: ALLOWED_TENANT,
      HUNT_ALLOWED_TEAMS: ALLOWED_TEAM,
      HUNT_TAGGERS: TAGGER,
    });
    fixture = harness.fixture;
  });

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
      { action: 'denied', actor_name: 'Mo Member' }, // the refused `untag` command, audited as the card's Untag is
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

  describe('pressing a result\'s buttons from where hunts are not allowed', () => {
    const chat: ChatIdentity = { ...member, userId: '29:chat', teamId: '', conversationId: 'a:1on1' };
    const readVerbs: Array<[string, Record<string, unknown>]> = [
      ['results.page', { page: 0 }],
      ['results.view', { page: 0 }],
      ['results.hidden', {}],
      ['run.again', {}],
      ['run.cancel', {}],
      ['hit.tag', { deviceId: 'dev-a' }],
      ['hit.tag.save', { deviceId: 'dev-a', scenario: 'backup-job' }],
      ['hit.untag', { deviceId: 'dev-a' }],
    ];

    it.each([
      ['another tenant', otherTenant],
      ['another team', otherTeam],
      ['a 1:1 chat while hunts are limited to teams', chat],
    ])('is refused from %s for every verb, with no device in the reply and no card replaced', async (_label, outsider) => {
      const { messageId, runId } = await finishedHuntAs(tagger);
      const updatesBefore = updates().length;
      for (const [verb, data] of readVerbs) {
        const reply = await harness.execute(messageId, verb, { runId, ...data }, outsider as ChatIdentity);
        expect(reply.status).toBe(200);
        expect((reply.body as { value: string }).value).toMatch(/^Sorry, you can't .+ here: /);
        expect(devicesNamedIn(reply.body)).toEqual([]);
      }
      await harness.app.runs.idle();
      expect(updates().slice(updatesBefore)).toEqual([]);
    });
  });

  describe('an action naming a run from another conversation', () => {
    // A tagger in an allowed team may do everything, but only on hunts of the conversation the card is in.
    const elsewhere: ChatIdentity = { ...tagger, conversationId: '19:another-channel@thread.tacv2' };

    it.each([
      ['results.page', { page: 0 }],
      ['results.view', { page: 0 }],
      ['results.hidden', {}],
      ['hit.tag', { deviceId: 'dev-a' }],
      ['hit.tag.save', { deviceId: 'dev-a', scenario: 'backup-job', justification: 'copied card' }],
      ['hit.untag', { deviceId: 'dev-a' }],
      ['run.again', {}],
      ['run.cancel', {}],
    ])('is refused for %s: nothing written, the caller\'s message is not replaced', async (verb, data) => {
      const { runId } = await finishedHuntAs(tagger);
      const callersMessage = 'activity-in-another-channel';
      const updatesBefore = updates().length;
      const sentBefore = harness.sent().length;
      const tagsBefore = tagRows();

      const reply = await harness.execute(callersMessage, verb, { runId, ...data }, elsewhere);
      await harness.app.runs.idle();

      expect(reply.status).toBe(200);
      expect((reply.body as { value: string }).value).toContain('belongs to another conversation');
      expect(devicesNamedIn(reply.body)).toEqual([]);
      expect(updates().slice(updatesBefore)).toEqual([]);
      expect(harness.sent().slice(sentBefore)).toEqual([]);
      expect(tagRows()).toEqual(tagsBefore);
    });
  });

  async function finishedHuntAs(identity: ChatIdentity): Promise<{ messageId: string; runId: string }> {
    const replies = await huntAs(identity);
    const messageId = replies.find((a) => isRunningCard(cardOf(a.activity)))!.id;
    const runId = /"runId":"([^"]+)"/.exec(JSON.stringify(harness.card(messageId)))![1];
    return { messageId, runId };
  }

  function updates() {
    return harness.connector.events.filter((e) => e.operation === 'update');
  }

  function tagRows(): unknown[] {
    const db = openSqlite(`${fixture.dir}/huntbot.db`, { readonly: true });
    try {
      return db.prepare("SELECT search_key, tagged_by_name, tagged_at_utc FROM exclusions ORDER BY search_key").all().map((row) => ({ ...(row as object) }));
    } finally {
      db.close();
    }
  }
});

/** Device ids and names of the fixture that appear anywhere in a reply. */
function devicesNamedIn(body: unknown): string[] {
  const text = JSON.stringify(body);
  return ['dev-a', 'dev-b', 'dev-c', 'fin-ws-001', 'hr-ws-017', 'it-srv-004'].filter((d) => text.includes(d));
}

/**
 * The reported attack: a non-tagger takes the run id from a running hunt's Cancel button and floods
 * hit.tag.save / hit.untag while the hunt finishes, with run state in Blob storage.
 */
describe('a non-tagger flooding tag actions while a hunt finishes (Blob run state)', () => {
  const state = { HUNT_STATE_BLOB_CONTAINER: 'huntbot-authz' };
  let azurite: RunningAzurite;
  let la: FakeLogAnalyticsServer;
  let harness: BotHarness;
  let storePath: string;

  beforeAll(async () => {
    azurite = await startAzurite();
    const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const rows = [
      certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', ago(2), 101),
      certRow('dev-b', 'hr-ws-017.contoso.local', 'NCH Software Pty Ltd', ago(3), 201),
      certRow('dev-c', 'it-srv-004.contoso.local', 'NCH Software Pty Ltd', ago(4), 301),
    ];
    la = await FakeLogAnalyticsServer.start({ dataset: { tables: { DeviceFileCertificateInfo: rows } } });
    storePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-authz-')), 'huntbot.db');
    harness = await BotHarness.start(
      {
        SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
        LOG_ANALYTICS_ENDPOINT: la.endpoint,
        HUNT_STORE_PATH: storePath,
        HUNT_TAGGERS: TAGGER,
        HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString,
        // The flood must reach the authorization step, not the per-person rate limit (tested in message-flood).
        HUNT_MESSAGES_PER_MINUTE: '1000000',
        HUNT_MESSAGE_BURST: '1000000',
        ...state,
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    await azurite?.stop();
    if (storePath) fs.rmSync(path.dirname(storePath), { recursive: true, force: true });
  });

  async function startHunt(text: string, who: ChatIdentity): Promise<{ messageId: string; runId: string }> {
    const before = harness.sent().length;
    await harness.say(text, who);
    const running = harness.sent().slice(before).find((a) => isRunningCard(cardOf(a.activity)));
    if (!running) throw new Error(`no running card: ${harness.lastText()}`);
    const runId = /"verb":"run\.cancel","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(running.activity))![1];
    return { messageId: running.id, runId };
  }

  function store() {
    const db = openSqlite(storePath, { readonly: true });
    try {
      const tags = db.prepare('SELECT search_key, tagged_by_name FROM exclusions ORDER BY search_key').all().map((row) => ({ ...(row as object) }));
      const audit = db.prepare('SELECT action, actor_name FROM audit ORDER BY id').all() as Array<{ action: string; actor_name: string }>;
      return { tags, audit };
    } finally {
      db.close();
    }
  }

  it('lands no tag and no untag, and refuses and audits every press', async () => {
    // A tag put in place by a tagger, which the flood tries to remove.
    const earlier = await startHunt('hunt rmm desktopnow 5d', tagger);
    await harness.app.runs.idle();
    const saved = await harness.execute(earlier.messageId, 'hit.tag.save', { runId: earlier.runId, deviceId: 'dev-c', scenario: 'backup-job' }, tagger);
    expect(cardText((saved.body as { value: unknown }).value)).toContain('Benign: Backup job execution — Tina Tagger');
    const before = store();
    expect(before.tags).toEqual([{ search_key: 'rmm/desktopnow|dev-c', tagged_by_name: 'Tina Tagger' }]);

    la.enqueue({ kind: 'slow', delayMs: 1500 });
    const { messageId, runId } = await startHunt('hunt rmm desktopnow 4d', member);
    let finished = false;
    const done = harness.connector
      .waitFor((e) => e.operation === 'update' && e.id === messageId && cardText(cardOf(e.activity)).includes('fin-ws-001'), 60_000)
      .then(() => (finished = true));

    const presses: Array<[string, Record<string, unknown>]> = [
      ['hit.tag.save', { runId, deviceId: 'dev-a', scenario: 'backup-job', justification: 'flood' }],
      ['hit.untag', { runId, deviceId: 'dev-c' }],
      ['hit.tag.save', { runId, deviceId: 'dev-b', scenario: 'backup-job', justification: 'flood' }],
      ['hit.untag', { runId, deviceId: 'dev-a' }],
    ];
    // Sixteen presses always in flight (no gaps between batches), until 48 more have been refused after the
    // hunt finished; bounded to 800 presses and 30 s.
    const replies: string[] = [];
    const deadline = Date.now() + 30_000;
    let sent = 0;
    let sentAfterFinish = 0;
    const presser = async () => {
      while (sent < 800 && Date.now() < deadline && sentAfterFinish < 48) {
        const [verb, data] = presses[sent++ % presses.length];
        if (finished) sentAfterFinish++;
        const reply = await harness.execute(messageId, verb, data, member);
        replies.push(String((reply.body as { value?: unknown }).value));
      }
    };
    await Promise.all(Array.from({ length: 16 }, presser));
    await done;
    await harness.app.runs.idle();

    expect(finished).toBe(true);
    expect(replies.length).toBeGreaterThanOrEqual(48);
    expect(replies.filter((r) => !r.startsWith("Sorry, you can't tag hits here: only the configured taggers"))).toEqual([]);
    const after = store();
    expect(after.tags).toEqual(before.tags);
    const newAudit = after.audit.slice(before.audit.length);
    expect(newAudit.filter((a) => a.action !== 'denied')).toEqual([]);
    expect(newAudit).toHaveLength(replies.length);
    // The card shows the result everyone may see; no flood press changed it.
    expect(cardText(harness.card(messageId))).not.toContain('Benign: Backup job execution — Mo Member');
  });

  it('refuses actions on a run stored before runs recorded their conversation, asking to run the hunt again', async () => {
    const { store: blob } = createStateStore({ kind: 'azure-blob', connectionString: azurite.connectionString, container: state.HUNT_STATE_BLOB_CONTAINER });
    const earlier = await startHunt('hunt rmm desktopnow 5d', tagger);
    await harness.app.runs.idle();
    const registry = new RunRegistry(blob);
    const current = (await registry.get(earlier.runId))!;
    const { conversation: _recorded, ...legacy } = current as HuntRun & { conversation?: unknown };
    const legacyRunId = '6f1d2c1e-0000-4000-8000-00000000001e';
    await registry.save({ ...legacy, runId: legacyRunId } as HuntRun);
    const updatesBefore = harness.connector.events.filter((e) => e.operation === 'update').length;

    for (const [verb, data] of [
      ['results.page', { page: 1 }],
      ['hit.tag.save', { deviceId: 'dev-a', scenario: 'backup-job' }],
      ['run.again', {}],
    ] as Array<[string, Record<string, unknown>]>) {
      const reply = await harness.execute(earlier.messageId, verb, { runId: legacyRunId, ...data }, tagger);
      expect(reply.status).toBe(200);
      expect((reply.body as { value: string }).value).toMatch(/Run the hunt again/);
    }
    await harness.app.runs.idle();
    expect(harness.connector.events.filter((e) => e.operation === 'update')).toHaveLength(updatesBefore);
  });
});
