import pino from 'pino';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { LogAnalyticsBackend, logAnalyticsEndpointOptions } from '../../src/backends/log-analytics-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import { searchKeyOf, type Exclusion } from '../../src/stores/exclusion-store';
import { WatchlistExclusionStore } from '../../src/stores/watchlist-exclusion-store';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { FakeWatchlistServer } from '../fakes/watchlist-server';

const WORKSPACE_ID = '11111111-2222-3333-4444-555555555555';
const ALIAS = 'HuntBotExclusions';
const HUNT_KEY = 'rmm/desktopnow';
const NOW = new Date('2024-05-06T00:00:00Z');
const window = { start: new Date('2024-05-01T00:00:00Z'), end: NOW };

function certificateRow(deviceId: string, at: string): Record<string, unknown> {
  return {
    Timestamp: at,
    TimeGenerated: at,
    DeviceId: deviceId,
    DeviceName: `${deviceId}.contoso.com`,
    SHA1: `sha1-${deviceId}`,
    IsSigned: true,
    Signer: 'DesktopNow Ltd',
    IsTrusted: true,
    ReportId: 1,
  };
}

/** The hunt, with the exclusion clause in the shape src/hunts/render.ts appends. */
const HUNT_KQL = `DeviceFileCertificateInfo
| where Timestamp between (datetime(2024-05-01T00:00:00Z) .. datetime(2024-05-06T00:00:00Z))
| where Signer has 'DesktopNow'
| summarize Hits = count(), LastSeen = max(Timestamp), Signers = make_set(Signer) by DeviceId, DeviceName
| where strcat('${HUNT_KEY}', '|', DeviceId) !in ((_GetWatchlist('${ALIAS}') | where isempty(ExpiresAtUtc) or todatetime(ExpiresAtUtc) > datetime(2024-05-06T00:00:00Z) | project SearchKey))
| sort by DeviceId asc`;

function tag(deviceId: string, expiresAtUtc = ''): Exclusion {
  return {
    searchKey: searchKeyOf(HUNT_KEY, deviceId),
    huntKey: HUNT_KEY,
    deviceId,
    deviceName: `${deviceId}.contoso.com`,
    scenario: 'it-admin-tool',
    justification: 'jump box',
    taggedByUpn: 'alice@contoso.com',
    taggedByAadObjectId: 'a11ce000-0000-0000-0000-000000000001',
    taggedByName: 'Alice',
    taggedAtUtc: '2024-05-05T09:00:00.000Z',
    expiresAtUtc,
  };
}

describe('a hunt in Log Analytics excludes devices tagged in the Sentinel watchlist', () => {
  let arm: FakeWatchlistServer;
  let la: FakeLogAnalyticsServer;
  let backend: LogAnalyticsBackend;
  let store: WatchlistExclusionStore;

  beforeAll(async () => {
    arm = await FakeWatchlistServer.start();
    la = await FakeLogAnalyticsServer.start({
      dataset: {
        tables: {
          DeviceFileCertificateInfo: [
            certificateRow('dev-1', '2024-05-02T10:00:00Z'),
            certificateRow('dev-1', '2024-05-03T10:00:00Z'),
            certificateRow('dev-2', '2024-05-02T11:00:00Z'),
            certificateRow('dev-3', '2024-05-04T12:00:00Z'),
          ],
        },
        // The workspace reads the watchlist the ARM fake holds, as _GetWatchlist does in Sentinel.
        watchlists: () => arm.watchlistSnapshot(),
        now: () => NOW,
      },
    });
    const { settings, errors } = readAzureCloudSettings({ LOG_ANALYTICS_ENDPOINT: la.endpoint, ARM_ENDPOINT: arm.endpoint });
    expect(errors).toEqual([]);
    const credential = new FakeTokenCredential();
    backend = new LogAnalyticsBackend({ workspaceId: WORKSPACE_ID, credential, ...logAnalyticsEndpointOptions(settings.logAnalytics) });
    store = new WatchlistExclusionStore({
      arm: settings.arm,
      credential,
      subscriptionId: '00000000-aaaa-bbbb-cccc-000000000001',
      resourceGroup: 'rg-sentinel',
      workspaceName: 'law-sentinel',
      alias: ALIAS,
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await store.close();
    await la.close();
    await arm.close();
  });

  test('before any tag every matching device is a hit, with typed columns from the engine', async () => {
    const outcome = await backend.run({ kql: HUNT_KQL, window });

    expect(outcome.result.columns).toEqual([
      { name: 'DeviceId', type: 'string' },
      { name: 'DeviceName', type: 'string' },
      { name: 'Hits', type: 'long' },
      { name: 'LastSeen', type: 'datetime' },
      { name: 'Signers', type: 'dynamic' },
    ]);
    expect(outcome.result.rows).toEqual([
      ['dev-1', 'dev-1.contoso.com', 2, '2024-05-03T10:00:00.000Z', ['DesktopNow Ltd']],
      ['dev-2', 'dev-2.contoso.com', 1, '2024-05-02T11:00:00.000Z', ['DesktopNow Ltd']],
      ['dev-3', 'dev-3.contoso.com', 1, '2024-05-04T12:00:00.000Z', ['DesktopNow Ltd']],
    ]);
  });

  test('after tagging, an actively tagged device drops out and an expired tag does not hide one', async () => {
    await store.upsert(tag('dev-2'));
    await store.upsert(tag('dev-3', '2024-05-05T00:00:00.000Z'));

    const outcome = await backend.run({ kql: HUNT_KQL, window });

    expect(outcome.result.rows.map((row) => row[0])).toEqual(['dev-1', 'dev-3']);
  });

  test('after untagging, the device is a hit again', async () => {
    await store.remove(searchKeyOf(HUNT_KEY, 'dev-2'));

    const outcome = await backend.run({ kql: HUNT_KQL, window });

    expect(outcome.result.rows.map((row) => row[0])).toEqual(['dev-1', 'dev-2', 'dev-3']);
  });

  test("a query the engine's analyser rejects comes back as invalid-query", async () => {
    const failure = await backend.run({ kql: 'DeviceFileCertificateInfo | wher Signer has "x"', window }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(QueryFailure);
    expect(failure).toMatchObject({ kind: 'invalid-query', details: { statusCode: 400 } });
  });
});
