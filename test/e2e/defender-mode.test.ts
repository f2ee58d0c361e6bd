import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { desktopNowCertificateRows } from '../support/sentinel-workspace-env';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeGraphHuntingServer, GRAPH_SCOPE } from '../fakes/graph-hunting-server';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';

const DAY_MS = 86_400_000;

/** A hunt of the operator's own that may look back 90 days: only Defender's 30-day limit caps it. */
function writeLongLookHunt(dir: string): void {
  const desktopNow = fs.readFileSync(path.join(__dirname, '../../src/hunts/rmm/desktopnow-filesig.yaml'), 'utf8');
  const longLook = desktopNow
    .replace(/^id: .*$/m, 'id: 6f1f0a3e-2b7c-4d5e-9f10-112233445566')
    .replace(/^name: .*$/m, 'name: NCH software signatures over a long look-back')
    .replace(/^family: .*$/m, 'family: custom')
    .replace(/^tool: .*$/m, 'tool: nchlong')
    .replace(/^toolName: .*$/m, 'toolName: NCH long look')
    .replace(/^aliases:\n(?: {2}- .*\n)+/m, '')
    .replace(/^upstreamId: .*\n/m, '')
    .replace(/^maxWindow: .*$/m, 'maxWindow: 90d');
  fs.writeFileSync(path.join(dir, 'nchlong-filesig.yaml'), longLook);
}

/** The bot on the Defender backend at the fake Graph, its tag store in `dir`. */
function defenderEnv(graph: FakeGraphHuntingServer, dir: string): Record<string, string> {
  return { HUNT_BACKEND: 'defender', GRAPH_ENDPOINT: graph.endpoint, HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_RESULT_TTL_SECONDS: '0' };
}

function runIdOf(card: unknown): string {
  return /"verb":"hit\.tag","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(card))![1];
}

/** Days the Timespan interval the bot sent covers. */
function timespanDays(timespan: string | undefined): number {
  const [start, end] = (timespan ?? '').split('/');
  return (Date.parse(end) - Date.parse(start)) / DAY_MS;
}

/**
 * The whole loop with HUNT_BACKEND=defender: hunts go to Microsoft Graph runHuntingQuery (a local
 * server speaking the documented shapes, reached through the bot's real HTTP client) and tags to
 * the Sentinel watchlist over ARM.
 */
describe('hunting against Defender XDR advanced hunting (Microsoft Graph) with tags in the Sentinel watchlist', () => {
  let harness: BotHarness;
  let graph: FakeGraphHuntingServer;
  let arm: FakeWatchlistServer;
  let dir: string;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    const now = Date.now();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-defender-'));
    fs.mkdirSync(path.join(dir, 'hunts'));
    writeLongLookHunt(path.join(dir, 'hunts'));
    arm = await FakeWatchlistServer.start();
    graph = await FakeGraphHuntingServer.start({
      dataset: {
        tables: {
          DeviceFileCertificateInfo: desktopNowCertificateRows(now),
        },
      },
    });
    harness = await BotHarness.start(
      {
        ...defenderEnv(graph, dir),
        SENTINEL_SUBSCRIPTION_ID: '00000000-aaaa-bbbb-cccc-000000000001',
        SENTINEL_RESOURCE_GROUP: 'rg-sentinel',
        SENTINEL_WORKSPACE_NAME: 'law-sentinel',
        ARM_ENDPOINT: arm.endpoint,
        HUNTS_DIR: path.join(dir, 'hunts'),
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await graph?.close();
    await arm?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends the hunt to runHuntingQuery with a Graph token and the window as Timespan, and shows the devices', async () => {
    const { card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const sent = graph.requests[graph.requests.length - 1];

    expect(sent).toMatchObject({ bodyKeys: ['Query', 'Timespan'], tokenScope: GRAPH_SCOPE });
    expect(sent.query).toContain("where Signer has 'NCH Software'");
    // Defender cannot be counted on to see a Sentinel watchlist: the bot hides tagged devices itself.
    expect(sent.query).not.toContain('_GetWatchlist');
    expect(timespanDays(sent.timespan)).toBe(5);
    const text = cardText(card);
    expect(text).toContain('fin-ws-001.contoso.local');
    expect(text).toContain('hr-ws-017.contoso.local');
    expect(text).toContain('defender');
    const json = JSON.stringify(card);
    expect(json).toContain('Open in Defender advanced hunting');
    expect(json).not.toContain('Open in Sentinel Logs');
  });

  it('tags a device into the Sentinel watchlist, hides it on the next run, and untag brings it back', async () => {
    const first = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const saved = await harness.execute(
      first.messageId,
      'hit.tag.save',
      { runId: runIdOf(first.card), deviceId: 'dev-a', scenario: 'backup-job', justification: 'Nightly backups' },
      alice,
    );
    expect(cardText((saved.body as { value: unknown }).value)).toContain('Benign: Backup job execution — Alice');
    expect(arm.watchlistSnapshot().HuntBotExclusions).toEqual([
      expect.objectContaining({ SearchKey: 'rmm/desktopnow|dev-a', Scenario: 'backup-job', TaggedByAadObjectId: alice.aadObjectId }),
    ]);

    const second = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    expect(cardText(second.card)).not.toContain('fin-ws-001.contoso.local');
    expect(cardText(second.card)).toContain('1 device hidden as benign.');

    await harness.say('untag rmm desktopnow fin-ws-001.contoso.local', alice);
    expect(harness.lastText()).toContain('Removed the benign tag');
    expect(cardText((await harness.huntToResult('hunt rmm desktopnow 5d', alice)).card)).toContain('fin-ws-001.contoso.local');
  });

  it('waits out Defender\'s throttling, retries, and says so on the result card', async () => {
    const before = graph.requests.length;
    graph.enqueue({ kind: 'throttle', retryAfterSeconds: 1 });

    const text = cardText((await harness.huntToResult('hunt rmm desktopnow 5d', alice)).card);

    expect(graph.requests.length - before).toBe(2);
    expect(text).toContain('Defender XDR throttled the query (429); the bot waited 1 s and retried.');
    expect(text).toContain('fin-ws-001.contoso.local');
  });

  it('shows an error card with Graph\'s reason and Defender advice when the query is refused', async () => {
    graph.enqueue({ kind: 'query-error', message: "'where' operator: Failed to resolve column or scalar expression named 'Signer'" });

    const text = cardText((await harness.huntToResult('hunt rmm desktopnow 5d', alice)).card);

    expect(text).toContain('Hunt failed');
    expect(text).toContain("Defender XDR advanced hunting rejected the query (BadRequest): 'where' operator: Failed to resolve column or scalar expression named 'Signer'");
    expect(text).toContain('HUNT_BACKEND=loganalytics');
    expect(text).toMatch(/Correlation id: [0-9a-f-]{36}/);
  });

  it('caps a window beyond 30 days to 30 and says why on the card', async () => {
    const text = cardText((await harness.huntToResult('hunt custom nchlong 60d', alice)).card);

    expect(text).toContain('The window was capped to 30d (you asked for 60d). Defender XDR advanced hunting keeps 30 days of data.');
    expect(timespanDays(graph.requests[graph.requests.length - 1].timespan)).toBe(30);
    expect(text).toContain('fin-ws-001.contoso.local');
  });

  it('names the backend on /healthz, with what the finished hunts cost the bot per phase', async () => {
    const health = (await (await fetch(`${harness.app.url}/healthz`)).json()) as Record<string, unknown>;

    expect(health.backend).toBe('defender');
    expect(health.backendDescription).toBe(`Defender XDR advanced hunting via Microsoft Graph (${new URL(graph.endpoint).host})`);
    const phases = health.phases as Record<string, { count: number; totalMs: number }>;
    expect(Object.keys(phases)).toEqual(['turn', 'begin', 'reply', 'shape', 'tags', 'save', 'render', 'put']);
    // Every hunt started so far stored its running run and posted its running card.
    expect(phases.reply.count).toBe(phases.begin.count);
    expect(phases.turn.count).toBe(phases.reply.count);
    // Every finished hunt so far was rendered and PUT, failed ones included.
    expect(phases.render.count).toBeGreaterThanOrEqual(7);
    expect(phases.put.count).toBe(phases.render.count);
    expect(health.eventLoop).toEqual({ activeMs: expect.any(Number), idleMs: expect.any(Number) });
  });

  it('when throttling outlasts the retries, the card says when to try again and the hunt queue pauses that long', async () => {
    graph.enqueue(
      { kind: 'throttle', retryAfterSeconds: 0 },
      { kind: 'throttle', retryAfterSeconds: 0 },
      { kind: 'throttle', retryAfterSeconds: 3, message: 'Tenant CPU quota reached for this cycle.' },
    );

    const text = cardText((await harness.huntToResult('hunt rmm desktopnow 5d', alice)).card);

    expect(text).toContain('Hunt failed');
    expect(text).toContain('(429; tried 3 times). Tenant CPU quota reached for this cycle. Try again in 3 s.');
    expect(text).toContain('query time per 15 minutes');
    const health = (await (await fetch(`${harness.app.url}/healthz`)).json()) as { queries: { pausedForMs: number } };
    expect(health.queries.pausedForMs).toBeGreaterThan(0);
  });
});

describe('Defender mode with tags in SQLite (no watchlist settings)', () => {
  let harness: BotHarness;
  let graph: FakeGraphHuntingServer;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-defender-sqlite-'));
    graph = await FakeGraphHuntingServer.start({
      dataset: { tables: { DeviceFileCertificateInfo: [certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software', new Date(Date.now() - 3_600_000), 1)] } },
    });
    harness = await BotHarness.start(
      {
        ...defenderEnv(graph, dir),
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await graph?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the tag in the SQLite store and hides the device on the next Defender hunt', async () => {
    const first = await harness.huntToResult('hunt rmm desktopnow 5d');
    await harness.execute(first.messageId, 'hit.tag.save', { runId: runIdOf(first.card), deviceId: 'dev-a', scenario: 'backup-job', justification: 'Nightly' });

    const second = await harness.huntToResult('hunt rmm desktopnow 5d');

    expect(cardText(second.card)).toContain('1 device hidden as benign.');
    expect(graph.requests.every((r) => !r.query.includes('_GetWatchlist'))).toBe(true);
  });
});
