import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';

describe('HUNT_BACKEND=defender in the configuration', () => {
  it('selects Defender XDR advanced hunting through Microsoft Graph, with no workspace needed', () => {
    const config = loadConfig({ HUNT_BACKEND: 'defender' });

    expect(config.backend).toBe('defender');
    expect(config.defender).toEqual({ timeoutSeconds: 120 });
    expect(config.logAnalytics).toBeUndefined();
    expect(config.azure.graph).toMatchObject({ endpoint: 'https://graph.microsoft.com', scope: 'https://graph.microsoft.com/.default' });
  });

  it('accepts any letter case, and wins over a workspace id that would otherwise choose Log Analytics', () => {
    const config = loadConfig({ HUNT_BACKEND: 'Defender', SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555' });

    expect(config.backend).toBe('defender');
    expect(config.logAnalytics).toBeUndefined();
  });

  it('gives Defender queries the HUNT_QUERY_TIMEOUT_SECONDS budget', () => {
    expect(loadConfig({ HUNT_BACKEND: 'defender', HUNT_QUERY_TIMEOUT_SECONDS: '45' }).defender).toEqual({ timeoutSeconds: 45 });
    expect(problemsOf({ HUNT_BACKEND: 'defender', HUNT_QUERY_TIMEOUT_SECONDS: '601' })).toEqual([
      'HUNT_QUERY_TIMEOUT_SECONDS must be a whole number from 1 to 600 (got "601")',
    ]);
  });

  it('keeps tags in the Sentinel watchlist when its settings are given, as in Sentinel mode', () => {
    const config = loadConfig({
      HUNT_BACKEND: 'defender',
      SENTINEL_SUBSCRIPTION_ID: '00000000-aaaa-bbbb-cccc-000000000001',
      SENTINEL_RESOURCE_GROUP: 'rg',
      SENTINEL_WORKSPACE_NAME: 'law',
    });

    expect(config.watchlist).toEqual({ subscriptionId: '00000000-aaaa-bbbb-cccc-000000000001', resourceGroup: 'rg', workspaceName: 'law' });
  });

  it('reads GRAPH_ENDPOINT and the cloud\'s Graph for sovereign tenants', () => {
    expect(loadConfig({ HUNT_BACKEND: 'defender', AZURE_CLOUD: 'AzureUSGovernment' }).azure.graph.endpoint).toBe('https://graph.microsoft.us');
    expect(loadConfig({ HUNT_BACKEND: 'defender', GRAPH_ENDPOINT: 'http://127.0.0.1:7000' }).azure.graph).toMatchObject({
      endpoint: 'http://127.0.0.1:7000',
      insecureLocalEndpoint: true,
    });
  });

  it('refuses Defender in a cloud whose Graph has no advanced hunting (21Vianet)', () => {
    expect(problemsOf({ HUNT_BACKEND: 'defender', AZURE_CLOUD: 'AzureChinaCloud' })).toEqual([
      'HUNT_BACKEND=defender needs Microsoft Graph advanced hunting, which AzureChinaCloud does not offer',
    ]);
  });

  it('names all three backends when HUNT_BACKEND is misspelt', () => {
    expect(problemsOf({ HUNT_BACKEND: 'mde' })).toEqual(['HUNT_BACKEND must be "local", "loganalytics" or "defender" (got "mde")']);
  });
});
