import { readAzureCloudSettings } from '../../src/azure/cloud';

describe('Microsoft Graph endpoints per AZURE_CLOUD (Defender XDR advanced hunting)', () => {
  test.each([
    ['AzurePublicCloud', 'https://graph.microsoft.com', true],
    ['AzureUSGovernment', 'https://graph.microsoft.us', true],
    ['AzureChinaCloud', 'https://microsoftgraph.chinacloudapi.cn', false],
  ])('%s uses %s with a token for that host; advanced hunting offered: %s', (cloud, endpoint, advancedHunting) => {
    const { settings, errors } = readAzureCloudSettings({ AZURE_CLOUD: cloud });

    expect(errors).toEqual([]);
    expect(settings.graph).toEqual({ endpoint, scope: `${endpoint}/.default`, insecureLocalEndpoint: false, advancedHunting });
  });

  test('GRAPH_ENDPOINT naming another national Graph (DoD) takes that Graph\'s scope too, as Graph requires', () => {
    const { settings } = readAzureCloudSettings({ AZURE_CLOUD: 'AzureUSGovernment', GRAPH_ENDPOINT: 'https://dod-graph.microsoft.us/v1.0' });

    expect(settings.graph).toMatchObject({ endpoint: 'https://dod-graph.microsoft.us', scope: 'https://dod-graph.microsoft.us/.default' });
  });

  test('any other GRAPH_ENDPOINT (a proxy, a local emulator) keeps the cloud\'s scope', () => {
    const proxy = readAzureCloudSettings({ GRAPH_ENDPOINT: 'https://graph-proxy.contoso.example/' }).settings.graph;
    const local = readAzureCloudSettings({ GRAPH_ENDPOINT: 'http://127.0.0.1:9999' }).settings.graph;

    expect(proxy).toMatchObject({ endpoint: 'https://graph-proxy.contoso.example', scope: 'https://graph.microsoft.com/.default', insecureLocalEndpoint: false });
    expect(local).toMatchObject({ endpoint: 'http://127.0.0.1:9999', scope: 'https://graph.microsoft.com/.default', insecureLocalEndpoint: true });
  });

  test('plain http to a remote Graph is refused so the token never travels unencrypted', () => {
    const { settings, errors } = readAzureCloudSettings({ GRAPH_ENDPOINT: 'http://graph.example.com' });

    expect(errors).toEqual([expect.stringContaining('GRAPH_ENDPOINT may use plain http only for a local emulator')]);
    expect(settings.graph.endpoint).toBe('https://graph.microsoft.com');
  });
});
