import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { CONTOSO_VPN_QUERY, huntFileText } from '../hunts/hunt-fixtures';

/**
 * Sentinel mode checks hunts against the workspace's real schema: read from the Log Analytics
 * metadata API (here a local server speaking its documented shape) at start, cached in
 * HUNT_CACHE_DIR for a restart while the API is down, and the bundled schema when no copy exists.
 */
const WORKSPACE_ID = '11111111-2222-3333-4444-555555555555';

/** The documented MetadataResults shape: a custom _CL table and an ASIM-style parser function. */
const METADATA = {
  tables: [
    {
      id: 'ContosoVpn_CL',
      name: 'ContosoVpn_CL',
      timespanColumn: 'TimeGenerated',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Computer', type: 'string' },
        { name: 'DeviceId_s', type: 'string' },
        { name: 'Client_s', type: 'string' },
        { name: 'BytesSent_d', type: 'real' },
        { name: 'Type', type: 'string' },
      ],
      related: { workspaces: [WORKSPACE_ID] },
    },
  ],
  functions: [
    {
      id: 'imProcessCreate',
      name: 'imProcessCreate',
      displayName: 'ASIM process creation parser',
      parameters: 'starttime:datetime=datetime(null), endtime:datetime=datetime(null)',
      body: 'DeviceProcessEvents\n| where isnull(starttime) or Timestamp >= starttime\n| project TimeGenerated, DvcId = DeviceId, DvcHostname = DeviceName, CommandLine = ProcessCommandLine',
    },
  ],
  workspaces: [{ id: WORKSPACE_ID, name: 'law-sentinel' }],
};

const VPN_HUNT = huntFileText({
  id: '6a0f3c2e-1b4d-4e8f-9a7c-2d3e4f5a6b7c',
  tool: 'contosovpn',
  query: CONTOSO_VPN_QUERY,
}).replace('kind: filesig', 'kind: network').replace(/\ntimeColumn: .*|$/, '\ntimeColumn: TimeGenerated');

const ASIM_HUNT = huntFileText({
  id: '7b1a4d3f-2c5e-4f9a-8b6d-3e4f5a6b7c8d',
  tool: 'asimremote',
  query: `let Time_start = {{TimeStart}};
let Time_end = {{TimeEnd}};
imProcessCreate(Time_start, Time_end)
| where CommandLine has 'contoso-remote'
| summarize FirstSeen=min(TimeGenerated), LastSeen=max(TimeGenerated), Count=count() by DeviceId=DvcId, DeviceName=DvcHostname`,
}).replace('kind: filesig', 'kind: process').replace(/\ntimeColumn: .*|$/, '\ntimeColumn: TimeGenerated');

describe('Sentinel mode checks hunts against the workspace schema', () => {
  let la: FakeLogAnalyticsServer;
  let huntsDir: string;
  let cacheDir: string;
  const started: BotHarness[] = [];

  async function startBot(cache: string): Promise<BotHarness> {
    const harness = await BotHarness.start(
      {
        SENTINEL_WORKSPACE_ID: WORKSPACE_ID,
        LOG_ANALYTICS_ENDPOINT: la.endpoint,
        HUNTS_DIR: huntsDir,
        HUNT_CACHE_DIR: cache,
        HUNT_STORE_PATH: path.join(cache, 'huntbot.db'),
        HUNT_RESULT_TTL_SECONDS: '0',
      },
      { credential: new FakeTokenCredential() },
    );
    started.push(harness);
    return harness;
  }

  async function health(harness: BotHarness): Promise<{ hunts: number; schema: Record<string, unknown> }> {
    const response = await fetch(`${harness.app.url}/healthz`);
    return (await response.json()) as { hunts: number; schema: Record<string, unknown> };
  }

  async function huntsListing(harness: BotHarness): Promise<string> {
    const before = harness.sent().length;
    await harness.say('hunts rmm');
    return harness.sent().slice(before).map((a) => JSON.stringify(a.activity)).join('\n');
  }

  beforeAll(async () => {
    const now = Date.now();
    la = await FakeLogAnalyticsServer.start({
      metadata: METADATA,
      dataset: {
        tables: {
          ContosoVpn_CL: [
            { TimeGenerated: new Date(now - 3_600_000).toISOString(), Computer: 'fin-ws-001.contoso.local', DeviceId_s: 'dev-a', Client_s: 'Contoso Remote 4.2', BytesSent_d: 1200, Type: 'ContosoVpn_CL' },
            { TimeGenerated: new Date(now - 7_200_000).toISOString(), Computer: 'hr-ws-017.contoso.local', DeviceId_s: 'dev-b', Client_s: 'Other VPN', BytesSent_d: 10, Type: 'ContosoVpn_CL' },
          ],
        },
      },
    });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-schema-'));
    huntsDir = path.join(root, 'hunts');
    cacheDir = path.join(root, 'cache');
    fs.mkdirSync(huntsDir);
    fs.writeFileSync(path.join(huntsDir, 'contoso-vpn.yaml'), VPN_HUNT);
    fs.writeFileSync(path.join(huntsDir, 'asim-remote.yaml'), ASIM_HUNT);
  });

  afterEach(async () => {
    while (started.length > 0) await started.pop()!.stop();
  });

  afterAll(async () => {
    await la?.close();
    fs.rmSync(path.dirname(huntsDir), { recursive: true, force: true });
  });

  it('reads the metadata with the query credential, loads a hunt over a custom _CL table and one over an ASIM function, and runs the _CL hunt', async () => {
    const harness = await startBot(cacheDir);
    expect(la.metadataReads.at(-1)).toMatchObject({ workspaceId: WORKSPACE_ID, authorized: true, tokenScope: 'https://api.loganalytics.io/.default' });
    expect((await health(harness)).schema).toMatchObject({ origin: 'workspace', tables: 1, functions: 1 });
    const listing = await huntsListing(harness);
    expect(listing).toContain('contosovpn');
    expect(listing).toContain('asimremote');

    const { card } = await harness.huntToResult('hunt rmm contosovpn 5d');
    expect(la.requests.at(-1)?.query).toContain('ContosoVpn_CL');
    expect(cardText(card)).toContain('fin-ws-001.contoso.local');
    expect(cardText(card)).not.toContain('hr-ws-017.contoso.local');
    expect(fs.readdirSync(cacheDir)).toContain(`workspace-schema-${WORKSPACE_ID}.json`);
  });

  it('after a restart while the API is down, still checks against the cached workspace schema', async () => {
    la.failMetadataWith(503);
    try {
      const harness = await startBot(cacheDir);
      const status = (await health(harness)).schema;
      expect(status).toMatchObject({ origin: 'cache', tables: 1, functions: 1 });
      expect(String(status.lastError)).toContain('HTTP 503');
      expect(await huntsListing(harness)).toContain('contosovpn');
    } finally {
      la.failMetadataWith(undefined);
    }
  });

  it('with the API down and no cached copy, says on /healthz that it checks against the bundled schema, and skips the _CL hunt', async () => {
    la.failMetadataWith(503);
    const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-schema-nocache-'));
    try {
      const harness = await startBot(emptyCache);
      const report = await health(harness);
      expect(report.schema).toMatchObject({ origin: 'bundled' });
      expect(String(report.schema.note)).toMatch(/no workspace schema could be read.*bundled schema/);
      expect(await huntsListing(harness)).not.toContain('contosovpn');
    } finally {
      la.failMetadataWith(undefined);
      fs.rmSync(emptyCache, { recursive: true, force: true });
    }
  });
});
