import { LogAnalyticsBackend, logAnalyticsEndpointOptions } from '../../src/backends/log-analytics-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';

const WORKSPACE = '11111111-2222-3333-4444-555555555555';
const window = { start: new Date('2024-05-01T00:00:00Z'), end: new Date('2024-05-02T00:00:00Z') };

describe.each([
  ['AzurePublicCloud', 'https://api.loganalytics.io/.default'],
  ['AzureUSGovernment', 'https://api.loganalytics.us/.default'],
  ['AzureChinaCloud', 'https://api.loganalytics.azure.cn/.default'],
])('in %s', (cloud, scope) => {
  let fake: FakeLogAnalyticsServer;

  beforeEach(async () => {
    // The fake plays that cloud's service: it accepts only tokens minted for the cloud's audience.
    fake = await FakeLogAnalyticsServer.start({
      expectedScope: scope,
      answer: () => ({ columns: [{ name: 'n', type: 'long' }], rows: [[7]] }),
    });
  });
  afterEach(() => fake.close());

  test(`the query reaches the configured endpoint with a token for ${scope}`, async () => {
    const { settings, errors } = readAzureCloudSettings({ AZURE_CLOUD: cloud, LOG_ANALYTICS_ENDPOINT: fake.endpoint });
    expect(errors).toEqual([]);
    const credential = new FakeTokenCredential();
    const backend = new LogAnalyticsBackend({
      workspaceId: WORKSPACE,
      credential,
      ...logAnalyticsEndpointOptions(settings.logAnalytics),
    });

    const outcome = await backend.run({ kql: 'print n = 7', window });

    expect(outcome.result.rows).toEqual([[7]]);
    expect(credential.requestedScopes).toEqual([[scope]]);
    expect(fake.requests[0]).toMatchObject({ workspaceId: WORKSPACE, tokenScope: scope });
  });
});

test('a token for the wrong cloud is refused as forbidden with advice to check AZURE_CLOUD', async () => {
  const fake = await FakeLogAnalyticsServer.start({
    expectedScope: 'https://api.loganalytics.us/.default',
    answer: () => ({ columns: [], rows: [] }),
  });
  try {
    const { settings } = readAzureCloudSettings({ AZURE_CLOUD: 'AzurePublicCloud', LOG_ANALYTICS_ENDPOINT: fake.endpoint });
    const backend = new LogAnalyticsBackend({
      workspaceId: WORKSPACE,
      credential: new FakeTokenCredential(),
      ...logAnalyticsEndpointOptions(settings.logAnalytics),
    });

    const failure = await backend.run({ kql: 'print 1', window }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(QueryFailure);
    expect(failure).toMatchObject({ kind: 'forbidden', details: { code: 'InvalidAuthenticationTokenAudience' } });
    expect((failure as QueryFailure).message).toContain('AZURE_CLOUD');
  } finally {
    await fake.close();
  }
});
