import { ClaimsIdentity } from 'botframework-connector';
import { ReusedConnectorClientsAuthentication } from '../../src/bot/reused-connector-clients';

const EMEA = 'https://smba.trafficmanager.net/emea/';
const AMER = 'https://smba.trafficmanager.net/amer/';
const CHANNEL_AUDIENCE = 'https://api.botframework.com';

/** The bot's identity in a turn, as the SDK builds it from a channel token (the audience claim is the bot's app id). */
const turnIdentity = (appId: string) => new ClaimsIdentity([{ type: 'aud', value: appId }], true);

describe('connector clients are built once, not for every turn', () => {
  it('gives every turn of one bot the same connector client for the same service URL and audience', async () => {
    const auth = new ReusedConnectorClientsAuthentication({});
    const first = await auth.createConnectorFactory(turnIdentity('bot-app')).create(EMEA, CHANNEL_AUDIENCE);
    const second = await auth.createConnectorFactory(turnIdentity('bot-app')).create(EMEA, CHANNEL_AUDIENCE);
    expect(second).toBe(first);
  });

  it('builds a client of its own for another service URL, audience or app id', async () => {
    const auth = new ReusedConnectorClientsAuthentication({});
    const factory = auth.createConnectorFactory(turnIdentity('bot-app'));
    const emea = await factory.create(EMEA, CHANNEL_AUDIENCE);
    expect(await factory.create(AMER, CHANNEL_AUDIENCE)).not.toBe(emea);
    expect(await factory.create(EMEA, 'https://api.botframework.us')).not.toBe(emea);
    expect(await auth.createConnectorFactory(turnIdentity('other-app')).create(EMEA, CHANNEL_AUDIENCE)).not.toBe(emea);
  });

  it('keeps one user-token client per app id', async () => {
    const auth = new ReusedConnectorClientsAuthentication({});
    const first = await auth.createUserTokenClient(turnIdentity('bot-app'));
    expect(await auth.createUserTokenClient(turnIdentity('bot-app'))).toBe(first);
    expect(await auth.createUserTokenClient(turnIdentity('other-app'))).not.toBe(first);
  });

  it('keeps no client it could not build: a turn for an app id that is not the bot’s is refused every time', async () => {
    const auth = new ReusedConnectorClientsAuthentication({ MicrosoftAppId: 'bot-app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' });
    const factory = auth.createConnectorFactory(turnIdentity('someone-else'));
    await expect(factory.create(EMEA, CHANNEL_AUDIENCE)).rejects.toThrow('Invalid appId');
    await expect(factory.create(EMEA, CHANNEL_AUDIENCE)).rejects.toThrow('Invalid appId');
  });
});
