import * as fs from 'node:fs';
import { BotHarness } from '../support/bot-harness';

const STORE_TAG = 'many';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { awayFromMinuteEdge } from '../support/minute-edge';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const person = (name: string, n: number): ChatIdentity => ({
  ...defaultIdentity(name),
  userId: `29:${name.toLowerCase()}`,
  aadObjectId: `00000000-0000-0000-0000-00000000000${n}`,
});
const alice = person('Alice', 1);
const bob = person('Bob', 2);
const carol = person('Carol', 3);

/** Responders hammering one Sentinel workspace (a local server speaking the Log Analytics wire format). */
describe('many responders at once', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;

  beforeAll(async () => {
    const now = Date.now();
    const rows = ['NCH Software Pty Ltd', 'AnyDesk Software GmbH', 'TeamViewer Germany GmbH'].flatMap((signer, i) =>
      [0, 1].map((d) => certRow(`dev-${i}-${d}`, `ws-${i}-${d}.contoso.local`, signer, new Date(now - 3_600_000 * (d + 1)), i * 10 + d)),
    );
    la = await FakeLogAnalyticsServer.start({ dataset: { tables: { DeviceFileCertificateInfo: rows } } });
    harness = await BotHarness.start(
      {
        SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
        LOG_ANALYTICS_ENDPOINT: la.endpoint,
        HUNT_STORE_PATH: `/tmp/huntbot-many-${process.pid}.db`,
        HUNT_MAX_CONCURRENT_QUERIES: '1',
        HUNT_RESULT_TTL_SECONDS: '60',
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-${STORE_TAG}-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
  });

  /** Sends a hunt and returns the id of its running card. */
  async function hunt(text: string, who: ChatIdentity): Promise<string> {
    const before = harness.sent().length;
    await harness.say(text, who);
    // Several people hunt at once: pick the running card posted for this person.
    const running = harness
      .sent()
      .slice(before)
      .find((a) => isRunningCard(cardOf(a.activity)) && cardText(cardOf(a.activity)).includes(`Requested by ${who.userName}`));
    if (!running) throw new Error(`no running card for "${text}": ${harness.lastText()}`);
    return running.id;
  }

  const runIdOf = (activityId: string) => /"verb":"run\.cancel","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(harness.connector.events.find((e) => e.id === activityId)?.activity))![1];

  it('runs identical concurrent hunts once, and reuses a fresh result with its age and a Run again button', async () => {
    await awayFromMinuteEdge(25_000);
    const queriesBefore = la.requests.length;
    la.enqueue({ kind: 'slow', delayMs: 1500 });
    const [first, second] = await Promise.all([hunt('hunt rmm desktopnow 5d', alice), hunt('hunt rmm desktopnow 5d', bob)]);
    await harness.app.runs.idle();
    expect(la.requests.length - queriesBefore).toBe(1);
    expect(cardText(harness.card(first))).toContain('ws-0-0.contoso.local');
    const joined = cardText(harness.card(second));
    expect(joined).toContain('ws-0-0.contoso.local');
    expect(joined).toContain('Joined an identical hunt');

    const third = await hunt('hunt rmm desktopnow 5d', carol);
    await harness.app.runs.idle();
    expect(la.requests.length - queriesBefore).toBe(1);
    const reused = harness.card(third);
    expect(cardText(reused)).toMatch(/Reused a result from \d+ s ago/);

    const runId = /"verb":"run\.again","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(reused))![1];
    const again = await harness.execute(third, 'run.again', { runId }, carol);
    expect(cardText((again.body as { value: unknown }).value)).toContain('Hunting DesktopNow');
    await harness.app.runs.idle();
    expect(la.requests.length - queriesBefore).toBe(2);
    const fresh = cardText(harness.card(third));
    expect(fresh).toContain('ws-0-0.contoso.local');
    expect(fresh).not.toContain('Reused a result');
  });

  it('templates the result card once for everyone who joined one run, each card still their own (cardRenders on /healthz)', async () => {
    await awayFromMinuteEdge(25_000);
    const dave = person('Dave', 4);
    const renders = async () => ((await (await fetch(`${harness.app.url}/healthz`)).json()) as { cardRenders: { expansions: number; reuses: number } }).cardRenders;
    const before = await renders();
    la.enqueue({ kind: 'slow', delayMs: 1500 });
    const people = [alice, bob, carol, dave];
    const cards = await Promise.all(people.map((who) => hunt('hunt rmm desktopnow 6d', who)));
    await harness.app.runs.idle();
    const after = await renders();

    // One templating for the running card the four share (only run id, status and requester differ), then one for the
    // result card of the person whose hunt ran and one shared by the three who joined it.
    expect(after.expansions - before.expansions).toBe(1 + 2);
    expect(after.reuses - before.reuses).toBe(3 + 2);
    const texts = cards.map((id) => cardText(harness.card(id)));
    expect(texts.filter((text) => text.includes('Joined an identical hunt'))).toHaveLength(3);
    people.forEach((who, i) => {
      expect(texts[i]).toContain(`Requested by ${who.userName}`);
      expect(texts[i]).toContain('ws-0-0.contoso.local');
      const card = harness.card(cards[i]) as { refresh: { action: { data: { runId: string } }; userIds: string[] } };
      expect(card.refresh.userIds).toContain(who.userId);
      // Every button of the card acts on this person's own run.
      const runIds = new Set([...JSON.stringify(card).matchAll(/"runId":"([^"]+)"/g)].map((m) => m[1]));
      expect([...runIds]).toEqual([card.refresh.action.data.runId]);
    });
    expect(new Set(cards.map((id) => (harness.card(id) as { refresh: { action: { data: { runId: string } } } }).refresh.action.data.runId)).size).toBe(4);
  });

  it('queues hunts beyond the limit, shows the place in line, and lets the requester cancel a waiting hunt', async () => {
    const queriesBefore = la.requests.length;
    la.enqueue({ kind: 'slow', delayMs: 2500 });
    const running = await hunt('hunt rmm anydesk filesig 5d', alice);
    const queued = await hunt('hunt rmm teamviewer filesig 5d', bob);
    await harness.connector.waitFor((e) => e.operation === 'update' && e.id === queued && cardText(cardOf(e.activity)).includes('Queued: 1st in line'), 10_000);

    const refused = await harness.execute(queued, 'run.cancel', { runId: runIdOf(queued) }, alice);
    expect((refused.body as { value: string }).value).toContain('Only the person who started this hunt');
    const cancelled = await harness.execute(queued, 'run.cancel', { runId: runIdOf(queued) }, bob);
    expect((cancelled.body as { value: string }).value).toContain('Cancelling');

    await harness.app.runs.idle();
    expect(cardText(harness.card(queued))).toContain('Hunt failed');
    expect(cardText(harness.card(queued))).toMatch(/cancel/i);
    expect(cardText(harness.card(running))).toContain('ws-1-0.contoso.local');
    // Only the hunt that was allowed to run reached the workspace.
    expect(la.requests.slice(queriesBefore).map((r) => r.query).join('\n')).not.toContain('TeamViewer');
  });

  it('reports queue depth and running queries on /healthz', async () => {
    const health = (await (await fetch(`${harness.app.url}/healthz`)).json()) as { queries: { running: number; queued: number } };
    expect(health.queries).toMatchObject({ running: 0, queued: 0 });
  });
});
