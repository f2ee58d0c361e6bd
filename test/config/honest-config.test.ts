import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';


const KEY = 'c2VjcmV0LWtleQ==';
const ACCOUNT = `DefaultEndpointsProtocol=https;AccountName=huntstate;AccountKey=${KEY};EndpointSuffix=core.windows.net`;

describe('run state settings are read and validated by loadConfig', () => {
  it('is memory when neither Blob variable is set (or both are blank)', () => {
    expect(loadConfig({}).runState).toEqual({ kind: 'memory' });
    expect(loadConfig({ HUNT_STATE_BLOB_CONNECTION_STRING: ' ', HUNT_STATE_BLOB_CONTAINER: '' }).runState).toEqual({ kind: 'memory' });
  });

  it('is an Azure Blob container when both are set', () => {
    expect(loadConfig({ HUNT_STATE_BLOB_CONNECTION_STRING: ACCOUNT, HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }).runState).toEqual({
      kind: 'azure-blob',
      connectionString: ACCOUNT,
      container: 'hunt-state',
    });
  });

  it.each([
    ['the emulator shorthand', 'UseDevelopmentStorage=true'],
    ['an explicit blob endpoint with a key', `AccountName=devstoreaccount1;AccountKey=${KEY};DefaultEndpointsProtocol=http;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`],
    ['a SAS connection string', 'BlobEndpoint=https://huntstate.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=abc'],
  ])('accepts %s', (_label, connectionString) => {
    expect(loadConfig({ HUNT_STATE_BLOB_CONNECTION_STRING: connectionString, HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }).runState.kind).toBe('azure-blob');
  });

  it.each([
    ['container missing', { HUNT_STATE_BLOB_CONNECTION_STRING: ACCOUNT }, 'HUNT_STATE_BLOB_CONTAINER is not set'],
    ['connection string missing', { HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }, 'HUNT_STATE_BLOB_CONNECTION_STRING is not set'],
    ['uppercase container', { HUNT_STATE_BLOB_CONNECTION_STRING: ACCOUNT, HUNT_STATE_BLOB_CONTAINER: 'Hunt_State' }, 'HUNT_STATE_BLOB_CONTAINER must be 3-63 lowercase'],
    ['double hyphen', { HUNT_STATE_BLOB_CONNECTION_STRING: ACCOUNT, HUNT_STATE_BLOB_CONTAINER: 'a--b' }, 'HUNT_STATE_BLOB_CONTAINER must be 3-63 lowercase'],
    ['malformed connection string', { HUNT_STATE_BLOB_CONNECTION_STRING: `AccountKey=${KEY}`, HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }, 'not a usable storage connection string'],
    ['key string without account name', { HUNT_STATE_BLOB_CONNECTION_STRING: `DefaultEndpointsProtocol=https;AccountKey=${KEY};EndpointSuffix=core.windows.net`, HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }, 'AccountName is missing'],
    ['SAS string without the SAS', { HUNT_STATE_BLOB_CONNECTION_STRING: 'BlobEndpoint=https://huntstate.blob.core.windows.net', HUNT_STATE_BLOB_CONTAINER: 'hunt-state' }, 'SharedAccessSignature is missing'],
  ])('names what is wrong, without the account key: %s', (_label, env: Record<string, string>, message) => {
    const problems = problemsOf(env);
    expect(problems.join('\n')).toContain(message);
    expect(problems.join('\n')).not.toContain(KEY);
  });

  it('reports bad Blob settings together with every other problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      HUNT_MAX_QUEUED_PER_USER: '0',
      HUNT_STATE_BLOB_CONNECTION_STRING: `AccountKey=${KEY}`,
      HUNT_STATE_BLOB_CONTAINER: 'Hunt_State',
    });
    expect(problems).toEqual([
      expect.stringContaining('PORT must be'),
      expect.stringContaining('HUNT_MAX_QUEUED_PER_USER must be'),
      expect.stringContaining('HUNT_STATE_BLOB_CONTAINER must be 3-63 lowercase'),
      expect.stringContaining('HUNT_STATE_BLOB_CONNECTION_STRING is not a usable storage connection string'),
    ]);
  });
});

describe('the configuration hands components settings, not the environment', () => {
  const env = {
    HUNTS_DIR: ['/srv/hunts', '', '/opt/more-hunts'].join(path.delimiter),
    MicrosoftAppId: '00000000-0000-0000-0000-0000000000a1',
    MicrosoftAppPassword: 'app-secret',
    ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/metadata',
    AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
    HUNT_STATE_BLOB_CONNECTION_STRING: ACCOUNT,
    HUNT_STATE_BLOB_CONTAINER: 'hunt-state',
    SOME_OTHER_SECRET: 'not for the bot',
  };

  it('has no raw environment', () => {
    expect(loadConfig(env)).not.toHaveProperty('env');
    expect(JSON.stringify(loadConfig(env))).not.toContain('not for the bot');
  });

  it('parses HUNTS_DIR into folders, separated like PATH', () => {
    expect(loadConfig(env).huntsDirs).toEqual(['/srv/hunts', '/opt/more-hunts']);
  });

  it('gives each HUNTS_DIR folder the family named before it (hunts when none), and keeps plain folders working', () => {
    expect(loadConfig(env).huntFolders).toEqual([
      { dir: '/srv/hunts', family: 'hunts' },
      { dir: '/opt/more-hunts', family: 'hunts' },
    ]);
    const named = loadConfig({ ...env, HUNTS_DIR: ['/plain', 'sentinel=/path/a', '/path/b', 'm365=/path/c'].join(path.delimiter) });
    expect(named.huntFolders).toEqual([
      { dir: '/plain', family: 'hunts' },
      { dir: '/path/a', family: 'sentinel' },
      { dir: '/path/b', family: 'sentinel' },
      { dir: '/path/c', family: 'm365' },
    ]);
    expect(named.huntsDirs).toEqual(['/plain', '/path/a', '/path/b', '/path/c']);
  });

  it('passes the Bot Framework SDK only the settings it reads itself', () => {
    expect(loadConfig(env).bot.sdkSettings).toEqual({
      MicrosoftAppId: env.MicrosoftAppId,
      MicrosoftAppPassword: 'app-secret',
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/metadata',
    });
  });

  it('chooses the Azure credential: the managed identity AZURE_CLIENT_ID names, or the default chain beside a service principal', () => {
    expect(loadConfig(env).identity).toEqual({ kind: 'managed-identity', clientId: env.AZURE_CLIENT_ID });
    expect(loadConfig({ ...env, AZURE_CLIENT_SECRET: 'sp-secret' }).identity).toMatchObject({ kind: 'default-chain' });
    expect(JSON.stringify(loadConfig({ ...env, AZURE_CLIENT_SECRET: 'sp-secret' }))).not.toContain('sp-secret');
  });
});
