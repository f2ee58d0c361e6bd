import { ManagedIdentityCredential, DefaultAzureCredential } from '@azure/identity';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { chooseCredential, describeCredentialChoice } from '../../src/azure/credential-choice';
import { createCredential } from '../../src/azure/credentials';

describe('readAzureCloudSettings', () => {
  test('defaults to the public cloud with its endpoints, scopes and authority', () => {
    const { settings, errors } = readAzureCloudSettings({});

    expect(errors).toEqual([]);
    expect(settings).toEqual({
      cloud: 'AzurePublicCloud',
      logAnalytics: {
        endpoint: 'https://api.loganalytics.io/v1',
        scope: 'https://api.loganalytics.io/.default',
        insecureLocalEndpoint: false,
      },
      arm: { endpoint: 'https://management.azure.com', scope: 'https://management.azure.com/.default', insecureLocalEndpoint: false },
      graph: { endpoint: 'https://graph.microsoft.com', scope: 'https://graph.microsoft.com/.default', insecureLocalEndpoint: false, advancedHunting: true },
      authorityHost: 'https://login.microsoftonline.com',
    });
  });

  test.each([
    [
      'AzureUSGovernment',
      'https://api.loganalytics.us/v1',
      'https://api.loganalytics.us/.default',
      'https://management.usgovcloudapi.net',
      'https://login.microsoftonline.us',
    ],
    [
      'AzureChinaCloud',
      'https://api.loganalytics.azure.cn/v1',
      'https://api.loganalytics.azure.cn/.default',
      'https://management.chinacloudapi.cn',
      'https://login.chinacloudapi.cn',
    ],
  ])('AZURE_CLOUD=%s selects its own Log Analytics, ARM and identity hosts', (cloud, la, laScope, arm, authority) => {
    const { settings, errors } = readAzureCloudSettings({ AZURE_CLOUD: cloud });

    expect(errors).toEqual([]);
    expect(settings.cloud).toBe(cloud);
    expect(settings.logAnalytics).toMatchObject({ endpoint: la, scope: laScope });
    expect(settings.arm).toMatchObject({ endpoint: arm, scope: `${arm}/.default` });
    expect(settings.authorityHost).toBe(authority);
  });

  test('accepts the az CLI name AzureCloud and any letter case', () => {
    expect(readAzureCloudSettings({ AZURE_CLOUD: 'AzureCloud' }).settings.cloud).toBe('AzurePublicCloud');
    expect(readAzureCloudSettings({ AZURE_CLOUD: 'azureusgovernment' }).settings.cloud).toBe('AzureUSGovernment');
  });

  test('an unknown cloud is reported, naming the accepted values', () => {
    const { errors } = readAzureCloudSettings({ AZURE_CLOUD: 'AzureGermanCloud' });

    expect(errors).toEqual([expect.stringContaining('AzurePublicCloud, AzureUSGovernment or AzureChinaCloud')]);
  });

  test('endpoint overrides replace the URLs but keep the cloud scope the service expects', () => {
    const { settings, errors } = readAzureCloudSettings({
      AZURE_CLOUD: 'AzureUSGovernment',
      LOG_ANALYTICS_ENDPOINT: 'https://la.private.example/v1/',
      ARM_ENDPOINT: 'https://arm.private.example/',
      AZURE_AUTHORITY_HOST: 'https://login.private.example',
    });

    expect(errors).toEqual([]);
    expect(settings.logAnalytics).toEqual({
      endpoint: 'https://la.private.example/v1',
      scope: 'https://api.loganalytics.us/.default',
      insecureLocalEndpoint: false,
    });
    expect(settings.arm).toEqual({
      endpoint: 'https://arm.private.example',
      scope: 'https://management.usgovcloudapi.net/.default',
      insecureLocalEndpoint: false,
    });
    expect(settings.authorityHost).toBe('https://login.private.example');
  });

  test('a Log Analytics override without a path gets the /v1 the SDK needs', () => {
    const { settings } = readAzureCloudSettings({ LOG_ANALYTICS_ENDPOINT: 'https://la.private.example' });

    expect(settings.logAnalytics.endpoint).toBe('https://la.private.example/v1');
  });

  test('plain http on a loopback host marks a local emulator', () => {
    const { settings, errors } = readAzureCloudSettings({
      LOG_ANALYTICS_ENDPOINT: 'http://127.0.0.1:8080/v1',
      ARM_ENDPOINT: 'http://localhost:8081',
    });

    expect(errors).toEqual([]);
    expect(settings.logAnalytics.insecureLocalEndpoint).toBe(true);
    expect(settings.arm.insecureLocalEndpoint).toBe(true);
  });

  test('plain http anywhere else is refused so tokens never travel unencrypted', () => {
    const { settings, errors } = readAzureCloudSettings({
      LOG_ANALYTICS_ENDPOINT: 'http://la.example.com/v1',
      ARM_ENDPOINT: 'ftp://arm.example.com',
      AZURE_AUTHORITY_HOST: 'http://login.example.com',
    });

    expect(errors).toHaveLength(3);
    expect(errors[0]).toContain('LOG_ANALYTICS_ENDPOINT may use plain http only for a local emulator');
    expect(errors[1]).toContain('ARM_ENDPOINT must be an https URL');
    expect(errors[2]).toContain('AZURE_AUTHORITY_HOST must be an https URL');
    expect(settings.logAnalytics.endpoint).toBe('https://api.loganalytics.io/v1');
  });

  test('a value that is not a URL is reported by name', () => {
    const { errors } = readAzureCloudSettings({ ARM_ENDPOINT: 'management' });

    expect(errors).toEqual(['ARM_ENDPOINT must be an absolute URL (got "management")']);
  });
});

describe('createCredential', () => {
  const authorityHost = 'https://login.microsoftonline.us';

  test('uses the user-assigned managed identity named by AZURE_CLIENT_ID', () => {
    const settings = { authorityHost, env: { AZURE_CLIENT_ID: 'aaaaaaaa-0000-0000-0000-000000000001' } };

    expect(chooseCredential(settings)).toEqual({ kind: 'managed-identity', clientId: 'aaaaaaaa-0000-0000-0000-000000000001' });
    expect(createCredential(chooseCredential(settings))).toBeInstanceOf(ManagedIdentityCredential);
  });

  test('uses the default chain with the cloud authority when no client id is set', () => {
    const settings = { authorityHost, env: {} };

    expect(chooseCredential(settings)).toMatchObject({ kind: 'default-chain', authorityHost });
    expect(createCredential(chooseCredential(settings))).toBeInstanceOf(DefaultAzureCredential);
  });

  test('leaves a service principal (client id + secret) to the default chain rather than forcing managed identity', () => {
    const choice = chooseCredential({ authorityHost, env: { AZURE_CLIENT_ID: 'x', AZURE_CLIENT_SECRET: 'not-logged' } });

    expect(choice.kind).toBe('default-chain');
    expect(describeCredentialChoice(choice)).not.toContain('not-logged');
  });
});
