import * as fs from 'node:fs';
import { BotHarness } from '../support/bot-harness';

const STORE_TAG = 'sentinel';
import { cardText } from '../support/card-text';
import { sentinelWorkspaceEnv, startDesktopNowWorkspace } from '../support/sentinel-workspace-env';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { chatCommand } from '../../src/cli/chat-command';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';

/**
 * The whole loop in Sentinel mode: hunts go to a Log Analytics workspace and tags to a Sentinel
 * watchlist — both local servers speaking the documented protocols, reached through the real SDK
 * clients; the workspace answers _GetWatchlist from the watchlist the ARM server holds.
 */
describe('hunting and tagging against Sentinel (Log Analytics + watchlist REST)', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  let arm: FakeWatchlistServer;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    arm = await FakeWatchlistServer.start();
    la = await startDesktopNowWorkspace(arm);
    harness = await BotHarness.start(
      {
        ...sentinelWorkspaceEnv({ logAnalytics: la.endpoint, arm: arm.endpoint }),
        HUNT_STORE_PATH: `/tmp/huntbot-sentinel-${process.pid}.db`,
        HUNT_RESULT_TTL_SECONDS: '0',
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-${STORE_TAG}-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
    await arm?.close();
  });

  async function hunt(): Promise<{ id: string; card: Record<string, unknown> }> {
    const before = harness.sent().length;
    await harness.say('hunt rmm desktopnow 5d', alice);
    const running = harness.sent().slice(before).find((a) => isRunningCard(cardOf(a.activity)))!;
    await harness.app.runs.idle();
    return { id: running.id, card: harness.card(running.id)! };
  }

  it('sends the exact hunt with the watchlist clause and the window as the API timespan, and links into the portals', async () => {
    const { card } = await hunt();
    const sent = la.requests[la.requests.length - 1];
    expect(sent.query).toContain("where Signer has 'NCH Software'");
    expect(sent.query).toContain("_GetWatchlist('HuntBotExclusions')");
    expect(sent.timespan).toMatch(/^\d{4}-\d{2}-\d{2}T.*\/\d{4}-\d{2}-\d{2}T/);
    expect(sent.prefer).toContain('wait=120');
    const json = JSON.stringify(card);
    expect(json).toContain('Open in Sentinel Logs');
    expect(json).toContain('Open in Defender advanced hunting');
    expect(cardText(card)).toContain('fin-ws-001.contoso.local');
  });

  it('stores a tag as a watchlist item with who and why, hides the device next run, and untag brings it back', async () => {
    const first = await hunt();
    const runId = /"verb":"hit\.tag","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(first.card))![1];
    const saved = await harness.execute(first.id, 'hit.tag.save', { runId, deviceId: 'dev-a', scenario: 'backup-job', justification: 'Nightly backups' }, alice);
    expect(cardText((saved.body as { value: unknown }).value)).toContain('Benign: Backup job execution — Alice');

    const items = arm.watchlistSnapshot().HuntBotExclusions;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      SearchKey: 'rmm/desktopnow|dev-a',
      Scenario: 'backup-job',
      Justification: 'Nightly backups',
      TaggedByName: 'Alice',
      TaggedByAadObjectId: alice.aadObjectId,
    });

    const second = await hunt();
    expect(cardText(second.card)).not.toContain('fin-ws-001.contoso.local');
    expect(cardText(second.card)).toContain('1 device hidden as benign.');

    await harness.say('untag rmm desktopnow fin-ws-001.contoso.local', alice);
    expect(harness.lastText()).toContain('Removed the benign tag');
    expect(arm.watchlistSnapshot().HuntBotExclusions ?? []).toHaveLength(0);
    expect(cardText((await hunt()).card)).toContain('fin-ws-001.contoso.local');
  });

  it('says a tag was NOT saved when the watchlist keeps failing, and saves it on retry', async () => {
    const { id, card } = await hunt();
    const runId = /"verb":"hit\.tag","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(card))![1];
    const data = { runId, deviceId: 'dev-b', scenario: 'software-update', justification: 'Patch Tuesday' };
    arm.failNext({ status: 500 }, 3); // every attempt the store makes (DEFAULT_RETRY_OPTIONS.maxAttempts)
    const failed = await harness.execute(id, 'hit.tag.save', data, alice);
    const failedText = cardText((failed.body as { value: unknown }).value);
    expect(failedText).toContain('The tag was NOT saved');
    expect(failedText).toContain('Retry saving');
    expect(arm.watchlistSnapshot().HuntBotExclusions ?? []).toHaveLength(0);
    expect(cardText(harness.card(id))).not.toContain('Benign:');

    const retried = await harness.execute(id, 'hit.tag.save', data, alice);
    expect(cardText((retried.body as { value: unknown }).value)).toContain('Benign: Software update deployment — Alice');
    expect(arm.watchlistSnapshot().HuntBotExclusions).toHaveLength(1);
    await harness.say('untag rmm desktopnow dev-b', alice);
  });

  it('shows an error card that says what to do when the workspace refuses the identity', async () => {
    la.enqueue({ kind: 'error', status: 403, code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access' });
    const text = cardText((await hunt()).card);
    expect(text).toContain('Hunt failed');
    expect(text).toContain('Microsoft Sentinel Reader');
    expect(text).toMatch(/Correlation id: [0-9a-f-]{36}/);
  });

  it('answers `huntbot chat --once` with the final card, for scripts', async () => {
    const out: string[] = [];
    const code = await chatCommand(['--url', harness.messagesUrl, '--once', 'hunt rmm desktopnow 5d', '--json'], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('\n')) as { card: unknown };
    expect(cardText(printed.card)).toContain('hr-ws-017.contoso.local');
  });
});
