import { createPublicKey, randomUUID, verify as cryptoVerify } from 'node:crypto';
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  BOT_FRAMEWORK_SCOPE,
  BOT_FRAMEWORK_TOKEN_ISSUER,
  createSigningKey,
  decodeJwt,
  OpenIdIssuer,
  signJwt,
  type PublishedJwk,
} from '../fakes/openid-issuer';

/** The fake issuer itself: what it serves, and that the Bot Framework SDK reads its keys and tokens as genuine. */
describe('the local OpenID issuer', () => {
  let issuer: OpenIdIssuer;

  beforeAll(async () => {
    issuer = await OpenIdIssuer.start();
  });

  afterAll(async () => {
    await issuer?.close();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(issuer.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves channel metadata whose jwks_uri lists the published keys with their endorsements, and not unpublished ones', async () => {
    const published = issuer.addKey({ endorsements: ['msteams', 'webchat'] });
    const unpublished = createSigningKey();

    const metadata = (await (await fetch(issuer.channelMetadataUrl)).json()) as { issuer: string; jwks_uri: string };
    expect(metadata.issuer).toBe(BOT_FRAMEWORK_TOKEN_ISSUER);
    const jwks = (await (await fetch(metadata.jwks_uri)).json()) as { keys: PublishedJwk[] };

    const served = jwks.keys.find((k) => k.kid === published.kid);
    expect(served).toEqual({ kty: 'RSA', use: 'sig', kid: published.kid, n: published.jwk.n, e: 'AQAB', endorsements: ['msteams', 'webchat'] });
    expect(jwks.keys.some((k) => k.kid === unpublished.kid)).toBe(false);
  });

  it('serves AAD-style metadata for the emulator key set with a token endpoint', async () => {
    const metadata = (await (await fetch(issuer.emulatorMetadataUrl)).json()) as Record<string, string>;
    expect(metadata.jwks_uri).toBe(issuer.jwksUrl('emulator'));
    expect(metadata.token_endpoint).toBe(`${issuer.origin}/common/oauth2/v2.0/token`);
  });

  it('signs RS256 tokens that node:crypto verifies against the published JWK', () => {
    const key = createSigningKey({ kid: 'k1' });
    const token = signJwt({ hello: 'world' }, key);
    const [header, payload, signature] = token.split('.');

    expect(decodeJwt(token)).toEqual({ header: { alg: 'RS256', typ: 'JWT', kid: 'k1' }, payload: { hello: 'world' } });
    const publicKey = createPublicKey({ key: { ...key.jwk }, format: 'jwk' });
    expect(cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('can leave the kid out of the header', () => {
    const token = signJwt({}, createSigningKey(), { kid: null });
    expect(decodeJwt(token).header).toEqual({ alg: 'RS256', typ: 'JWT' });
  });

  it('issues client-credentials access tokens to registered clients, signed by a key in the emulator set', async () => {
    const clientId = randomUUID();
    issuer.registerClient(clientId, 's3cret');
    const tokenUrl = `${issuer.loginUrl}/oauth2/v2.0/token`;
    const form = (secret: string) =>
      new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${BOT_FRAMEWORK_SCOPE}/.default` });

    const refused = await fetch(tokenUrl, { method: 'POST', body: form('wrong') });
    expect(refused.status).toBe(401);

    const granted = (await (await fetch(tokenUrl, { method: 'POST', body: form('s3cret') })).json()) as Record<string, unknown>;
    expect(granted.token_type).toBe('Bearer');
    const { header, payload } = decodeJwt(String(granted.access_token));
    expect(payload).toMatchObject({ aud: BOT_FRAMEWORK_SCOPE, appid: clientId, azp: clientId });
    expect(issuer.jwks('emulator').keys.map((k) => k.kid)).toContain(header.kid);
    expect(issuer.tokenRequests.map((r) => r.secretAccepted)).toEqual([false, true]);
  });

  describe('read by the Bot Framework SDK (ConfigurationBotFrameworkAuthentication)', () => {
    const appId = randomUUID();
    const serviceUrl = 'https://smba.example.test/amer/';
    const activity = { type: 'message', channelId: 'msteams', serviceUrl } as Activity;
    let sdkIssuer: OpenIdIssuer;
    let auth: ConfigurationBotFrameworkAuthentication;
    let teamsKey: ReturnType<OpenIdIssuer['addKey']>;

    beforeAll(async () => {
      sdkIssuer = await OpenIdIssuer.start();
      teamsKey = sdkIssuer.addKey({ endorsements: ['msteams'] });
      const options: ConfigurationBotFrameworkAuthenticationOptions = {
        MicrosoftAppId: appId,
        MicrosoftAppPassword: 'secret',
        ToBotFromChannelOpenIdMetadataUrl: sdkIssuer.channelMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: sdkIssuer.emulatorMetadataUrl,
        ToBotFromChannelTokenIssuer: BOT_FRAMEWORK_TOKEN_ISSUER,
        ToChannelFromBotLoginUrl: sdkIssuer.loginUrl,
        ToChannelFromBotOAuthScope: BOT_FRAMEWORK_SCOPE,
      };
      auth = new ConfigurationBotFrameworkAuthentication(options);
    });

    afterAll(async () => {
      await sdkIssuer?.close();
    });

    it('accepts a channel token it signed, fetching the metadata and then the keys', async () => {
      const token = sdkIssuer.channelToken(teamsKey, { appId, serviceUrl });
      const result = await auth.authenticateRequest(activity, `Bearer ${token}`);

      expect(result.claimsIdentity.isAuthenticated).toBe(true);
      expect(result.claimsIdentity.getClaimValue('aud')).toBe(appId);
      expect(sdkIssuer.requests.map((r) => r.path)).toEqual(['/v1/.well-known/openidconfiguration', '/channel/keys']);
    });

    it('refuses the same token re-signed by a key it does not publish', async () => {
      const stranger = createSigningKey();
      const token = sdkIssuer.channelToken(stranger, { appId, serviceUrl });
      await expect(auth.authenticateRequest(activity, `Bearer ${token}`)).rejects.toMatchObject({ statusCode: 401 });
    });
  });
});
