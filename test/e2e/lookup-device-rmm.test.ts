import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { actionData, invokeValue, type Card } from '../support/card-actions';
import { deviceId, lookupFixtureRows } from '../support/lookup-fixture';
import { completeRow } from '../../src/data/table-rows';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { FakeLogAnalyticsServer, QueryRejected } from '../fakes/log-analytics-server';
import { engineAnswer } from '../fakes/engine-answer';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeGraphHuntingServer } from '../fakes/graph-hunting-server';
import { sentinelWorkspaceEnv } from '../support/sentinel-workspace-env';
import { HuntCatalog } from '../../src/hunts/catalog';
import { canonicalHuntQuery } from '../../src/hunts/canonical-query';
import { deviceToolHunts } from '../../src/hunts/device-tool-hunts';
import { QueryCheckCache } from '../../src/hunts/query-check-cache';

/**
 * `lookup device` names every catalogued RMM tool seen on that one device in the window (every RMM hunt,
 * scoped to the device as `hunt rmm … on <device>` scopes it): two tools on fin-ws-001, a third only on
 * the look-alike fin-ws-0010, which must not appear.
 */
const HOUR = 3_600_000;
const DEVICE = 'fin-ws-001.contoso.local';
const LOOK_ALIKE = 'fin-ws-0010.contoso.local';
const SECTION = 'RMM tools seen (every catalogued signal)';
const MANY_MESSAGES = { HUNT_MESSAGE_BURST: '1000', HUNT_MESSAGES_PER_MINUTE: '1000' };
const alice = defaultIdentity('Alice');

/** The lookup fixture plus AnyDesk (process, twice) and DesktopNow (file signature) on DEVICE, TeamViewer on LOOK_ALIKE. */
function rmmRows(now: Date): Record<string, Array<Record<string, unknown>>> {
  const rows = lookupFixtureRows(now);
  let report = 9000;
  const at = (device: string, hours: number) => {
    const time = new Date(now.getTime() - hours * HOUR).toISOString();
    return { Timestamp: time, TimeGenerated: time, DeviceId: deviceId(device), DeviceName: device, ReportId: report++ };
  };
  const anyDesk = { ActionType: 'ProcessCreated', FileName: 'AnyDesk.exe', ProcessVersionInfoCompanyName: 'philandro Software GmbH', ProcessVersionInfoProductName: 'AnyDesk' };
  rows.DeviceProcessEvents.push(completeRow('DeviceProcessEvents', { ...at(DEVICE, 3), ...anyDesk }), completeRow('DeviceProcessEvents', { ...at(DEVICE, 30), ...anyDesk }));
  rows.DeviceFileCertificateInfo.push(completeRow('DeviceFileCertificateInfo', { ...at(DEVICE, 4), SHA1: 'd'.repeat(40), Signer: 'NCH Software Pty Ltd', IsSigned: true }));
  rows.DeviceNetworkEvents.push(
    completeRow('DeviceNetworkEvents', {
      ...at(LOOK_ALIKE, 2),
      ActionType: 'ConnectionSuccess',
      RemoteUrl: 'router1.teamviewer.com',
      RemoteIP: '20.9.9.9',
      InitiatingProcessFileName: 'TeamViewer.exe',
      InitiatingProcessVersionInfoCompanyName: 'TeamViewer Germany GmbH',
    }),
  );
  return rows;
}

function writeFolder(rows: Record<string, Array<Record<string, unknown>>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-device-rmm-'));
  for (const [table, tableRows] of Object.entries(rows)) fs.writeFileSync(path.join(dir, `${table}.jsonl`), tableRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return dir;
}

/** The card's RMM section: from its heading to the device rows' column headers. */
function rmmSection(text: string): string {
  const start = text.indexOf(SECTION);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('First / last seen (UTC)', start);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('lookup device: RMM tools seen, on a hand-written data folder over HTTP', () => {
  let harness: BotHarness;
  let dir: string;

  beforeAll(async () => {
    dir = writeFolder(rmmRows(new Date()));
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache'), ...MANY_MESSAGES });
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names both tools of the device with kind, count and first/last seen, and never the look-alike device’s tool', async () => {
    const text = cardText((await harness.huntToResult('lookup device fin-ws-001 7d')).card);
    const section = rmmSection(text);
    expect(section).toMatch(/AnyDesk — process · 2 events · \d{4}-\d\d-\d\d \d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(section).toMatch(/DesktopNow — file signature · 1 event · /);
    expect(section).toContain('2 of ');
    expect(text).not.toContain('TeamViewer');
    expect(text).not.toContain(LOOK_ALIKE);
    // The other sections are still there, on the same card.
    for (const other of ['TopProcesses: ', 'RemoteHosts: login.contoso.com', 'OS: Windows11 24H2', 'Logons: CONTOSO\\alice RemoteInteractive']) expect(text).toContain(other);
  }, 120_000);

  it("asked its parser process about none of the RMM hunts the first device lookup of this fresh bot ran: the build's verdicts answered them", () => {
    // HUNT_CACHE_DIR/kql-checks.json holds exactly the verdicts the parser process was asked for (the build's are read, never copied in).
    const asked = new QueryCheckCache(path.join(dir, 'cache', 'kql-checks.json'), () => {
      throw new Error('only read');
    });
    const { catalog } = HuntCatalog.load({ checkQuery: () => [] });
    const lookupDevice = catalog.hunts().find((hunt) => hunt.family === 'lookup' && hunt.tool === 'device')!;
    // The lookup's own hunt was asked about: the file does record the questions.
    expect(asked.known(canonicalHuntQuery(lookupDevice, { withTags: true, scoped: false }))).toBeDefined();
    const scoped = deviceToolHunts(catalog.hunts());
    expect(scoped.length).toBeGreaterThan(100);
    expect(scoped.filter((hunt) => asked.known(canonicalHuntQuery(hunt, { withTags: false, scoped: true })) !== undefined).map((hunt) => hunt.id)).toEqual([]);
  });

  it('says plainly when no catalogued tool was seen on the device', async () => {
    const section = rmmSection(cardText((await harness.huntToResult('lookup device hr-ws-002 7d')).card));
    expect(section).toMatch(/No catalogued RMM tool seen on this device: \d+ tools, \d+ signals checked\./);
    expect(section).not.toContain('Could not look');
  }, 120_000);

  it('honours a benign tag on one tool of the device, as `hunt rmm any` does: that tool is hidden and counted', async () => {
    const hunt = await harness.huntToResult('hunt rmm anydesk process 7d');
    const form = await harness.execute(hunt.messageId, 'hit.tag', actionData(hunt.card, 'hit.tag', deviceId(DEVICE)), alice);
    const save = actionData(invokeValue<Card>(form), 'hit.tag.save');
    const saved = await harness.execute(hunt.messageId, 'hit.tag.save', { ...save, scenario: 'remote-desktop', justification: 'helpdesk tool', expiry: '30d' }, alice);
    expect(cardText(invokeValue(saved))).toContain('Benign');

    const section = rmmSection(cardText((await harness.huntToResult('lookup device fin-ws-001 7d')).card));
    expect(section).not.toContain('AnyDesk —');
    expect(section).toContain('DesktopNow — file signature');
    expect(section).toContain('1 hidden as benign');
  }, 120_000);
});

describe('lookup device: RMM tools seen against a Sentinel workspace (Log Analytics over HTTP)', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  let arm: FakeWatchlistServer;
  let dir: string;
  const queries: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-device-rmm-la-'));
    arm = await FakeWatchlistServer.start();
    const rows = rmmRows(new Date());
    // This workspace has no DeviceFileCertificateInfo table: Log Analytics refuses any query that names it.
    const { DeviceFileCertificateInfo: _absent, ...tables } = rows;
    const engine = engineAnswer({ tables, watchlists: () => arm.watchlistSnapshot() });
    la = await FakeLogAnalyticsServer.start({
      answer: (input) => {
        queries.push(input.query);
        if (input.query.includes('DeviceFileCertificateInfo')) throw new QueryRejected("'DeviceFileCertificateInfo' could not be resolved: failed to resolve table or column expression", 'SemanticError');
        return engine(input);
      },
    });
    harness = await BotHarness.start(
      { ...sentinelWorkspaceEnv({ logAnalytics: la.endpoint, arm: arm.endpoint }), HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache'), ...MANY_MESSAGES },
      { credential: new FakeTokenCredential() },
    );
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    await arm?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the tools it could see, in a few combined queries, and says which signals it could not look at, never "none"', async () => {
    const text = cardText((await harness.huntToResult('lookup device fin-ws-001 7d')).card);
    const section = rmmSection(text);
    expect(section).toContain('AnyDesk — process · 2 events');
    expect(section).not.toContain('DesktopNow');
    expect(section).toMatch(/Could not look at file signature signals \(\d+ hunts\): .*could not be resolved/);
    expect(section).not.toContain('No catalogued RMM tool seen');
    expect(text).not.toContain('TeamViewer');
    // A metered workspace gets a few combined queries (per signal kind and tables read), not one per hunt,
    // each carrying the device only as a string literal.
    const rmmQueries = queries.filter((q) => q.includes('union batch_hunt_0()'));
    expect(rmmQueries.length).toBeGreaterThanOrEqual(3);
    expect(rmmQueries.length).toBeLessThanOrEqual(8);
    for (const query of rmmQueries) expect(query).toContain("| where DeviceName =~ 'fin-ws-001' or DeviceName startswith 'fin-ws-001.' or DeviceId =~ 'fin-ws-001'");
  }, 300_000);

  it('untag lookup by command says when the watchlist could not be written, and the tag stays until it can', async () => {
    const result = await harness.huntToResult('lookup device fin-ws-001 7d');
    const form = await harness.execute(result.messageId, 'hit.tag', actionData(result.card, 'hit.tag', deviceId(DEVICE)), alice);
    const save = actionData(invokeValue<Card>(form), 'hit.tag.save');
    await harness.execute(result.messageId, 'hit.tag.save', { ...save, scenario: 'other', justification: 'the helpdesk jump host', expiry: '7d' }, alice);
    arm.failNext({ status: 500 }, 3); // every attempt the store makes (DEFAULT_RETRY_OPTIONS.maxAttempts)
    await harness.say('untag lookup device fin-ws-001', alice);
    expect(harness.lastText()).toMatch(/^Could not remove the benign tag for lookup device fin-ws-001: .+\. The tag is still in place; try again\.$/);
    await harness.say('untag lookup device FIN-WS-001', alice);
    expect(harness.lastText()).toBe(`Removed the benign tag on ${DEVICE} for lookup device fin-ws-001; it will show in the next lookup.`);
  }, 300_000);
});

describe('lookup device: RMM tools seen against Defender XDR advanced hunting (Microsoft Graph over HTTP)', () => {
  let harness: BotHarness;
  let graph: FakeGraphHuntingServer;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-device-rmm-defender-'));
    graph = await FakeGraphHuntingServer.start({ dataset: { tables: rmmRows(new Date()) } });
    harness = await BotHarness.start(
      { HUNT_BACKEND: 'defender', GRAPH_ENDPOINT: graph.endpoint, HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache'), ...MANY_MESSAGES },
      { credential: new FakeTokenCredential() },
    );
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    await graph?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names both tools in a few combined queries (Defender allows ~45 calls a minute), and not the look-alike’s', async () => {
    const before = graph.requests.length;
    const section = rmmSection(cardText((await harness.huntToResult('lookup device fin-ws-001 7d')).card));
    expect(section).toContain('AnyDesk — process · 2 events');
    expect(section).toContain('DesktopNow — file signature · 1 event');
    expect(section).not.toContain('TeamViewer');
    expect(section).not.toContain('Could not look');
    const sent = graph.requests.slice(before);
    expect(sent.length).toBeLessThanOrEqual(4 + 8);
  }, 300_000);
});
