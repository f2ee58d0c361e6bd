import { generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type * as http from 'node:http';
import { listenOnFreePort, readBody, sendJson, type RunningServer } from './http-harness';

/**
 * A local stand-in for the two OpenID providers the Bot Framework SDK trusts, plus a JWT signer.
 *
 * - `channelMetadataUrl` mimics https://login.botframework.com/v1/.well-known/openidconfiguration
 *   (the keys Teams/Azure Bot Service sign channel→bot tokens with; keys carry `endorsements`).
 * - `emulatorMetadataUrl` mimics https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration
 *   (AAD keys, used by the SDK for Emulator and skill tokens; no endorsements).
 * - `loginUrl` is an AAD-like authority (`<loginUrl>/oauth2/v2.0/token`) that issues client-credentials
 *   access tokens, for code that lets its token endpoint be configured.
 *
 * Keys are RSA-2048 from node:crypto; tokens are RS256/384/512 JWS in compact form, signed with node:crypto.
 *
 * The SDK caches a metadata URL's keys for 24 hours (and re-fetches on an unknown `kid` at most hourly),
 * so publish every key a test needs before the bot receives its first request. Each issuer listens on a
 * fresh port, so each has fresh metadata URLs and a fresh SDK cache entry.
 */

/** The `iss` of genuine channel→bot tokens (AuthenticationConstants.ToBotFromChannelTokenIssuer). */
export const BOT_FRAMEWORK_TOKEN_ISSUER = 'https://api.botframework.com';
/** The default audience (scope without `/.default`) of bot→channel tokens (AuthenticationConstants.ToChannelFromBotOAuthScope). */
export const BOT_FRAMEWORK_SCOPE = 'https://api.botframework.com';

export type KeySetName = 'channel' | 'emulator';
export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512';

/** One key as it appears in a JWKS document. */
export interface PublishedJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
  /** Bot Framework extension: the channel ids this key may sign for (e.g. `msteams`). */
  endorsements?: string[];
}

/** An RSA signing key: the private half signs, the public half is what gets published. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: PublishedJwk;
}

export interface JwtHeader {
  alg?: SigningAlgorithm | string;
  typ?: string;
  /** Set to `null` to leave the header without a `kid`. */
  kid?: string | null;
  [name: string]: unknown;
}

export type JwtPayload = Record<string, unknown>;

export interface ChannelClaimsOptions {
  /** The bot's MicrosoftAppId; becomes `aud`. */
  appId: string;
  /** Becomes the `serviceurl` claim; the SDK requires it to equal the activity's serviceUrl exactly. */
  serviceUrl: string;
  issuer?: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
  /** Seconds until `exp`; negative for an already-expired token. Default 3600. */
  lifetimeSeconds?: number;
}

/** What the token endpoint was asked for (the secret is recorded only as whether it matched). */
export interface TokenRequest {
  tenant: string;
  grantType: string | null;
  clientId: string | null;
  scope: string | null;
  secretAccepted: boolean;
}

export interface RecordedIssuerRequest {
  method: string;
  path: string;
}

const ALGORITHM_HASH: Record<SigningAlgorithm, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A new RSA-2048 key with a random `kid`; `endorsements` go into its published JWK. */
export function createSigningKey(options: { kid?: string; endorsements?: string[] } = {}): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = options.kid ?? base64url(randomBytes(16));
  const exported = publicKey.export({ format: 'jwk' });
  if (typeof exported.n !== 'string' || typeof exported.e !== 'string') throw new Error('RSA public key did not export n and e');
  const jwk: PublishedJwk = { kty: 'RSA', use: 'sig', kid, n: exported.n, e: exported.e };
  if (options.endorsements) jwk.endorsements = [...options.endorsements];
  return { kid, privateKey, publicKey, jwk };
}

/**
 * Signs `payload` as a compact JWS. The header defaults to `{ alg: 'RS256', typ: 'JWT', kid: key.kid }`;
 * override any field (an unsupported `alg` is written as given but signed with SHA-256, to forge bad headers).
 */
export function signJwt(payload: JwtPayload, key: SigningKey, header: JwtHeader = {}): string {
  const fullHeader: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid: key.kid, ...header };
  if (fullHeader.kid === null) delete fullHeader.kid;
  const hash = ALGORITHM_HASH[fullHeader.alg as SigningAlgorithm] ?? 'sha256';
  const signingInput = `${base64url(JSON.stringify(fullHeader))}.${base64url(JSON.stringify(payload))}`;
  const signature = cryptoSign(hash, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

/** Header and payload of a compact JWS, without verifying anything. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: JwtPayload } {
  const [header, payload] = token.split('.');
  if (!header || !payload) throw new Error('not a compact JWS');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtPayload,
  };
}

/** The claims of a channel→bot token as Azure Bot Service issues them. */
export function channelClaims(options: ChannelClaimsOptions): JwtPayload {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const lifetime = options.lifetimeSeconds ?? 3600;
  return {
    serviceurl: options.serviceUrl,
    nbf: Math.min(now, now + lifetime) - 60,
    exp: now + lifetime,
    iss: options.issuer ?? BOT_FRAMEWORK_TOKEN_ISSUER,
    aud: options.appId,
  };
}

export class OpenIdIssuer {
  readonly requests: RecordedIssuerRequest[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  private readonly keySets: Record<KeySetName, SigningKey[]> = { channel: [], emulator: [] };
  private readonly clients = new Map<string, string>();
  /** Signs the access tokens the token endpoint hands out; published in the emulator (AAD) key set. */
  readonly accessTokenKey: SigningKey;

  private constructor(private readonly running: RunningServer) {
    this.accessTokenKey = createSigningKey();
    this.keySets.emulator.push(this.accessTokenKey);
  }

  static async start(): Promise<OpenIdIssuer> {
    const started: { issuer?: OpenIdIssuer } = {};
    const running = await listenOnFreePort((req, res) => {
      if (!started.issuer) return sendJson(res, 503, { error: 'starting' });
      started.issuer.handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: String(error) }));
    });
    started.issuer = new OpenIdIssuer(running);
    return started.issuer;
  }

  /** http://127.0.0.1:PORT */
  get origin(): string {
    return this.running.origin;
  }

  /** Use as ToBotFromChannelOpenIdMetadataUrl. */
  get channelMetadataUrl(): string {
    return `${this.origin}/v1/.well-known/openidconfiguration`;
  }

  /** Use as ToBotFromEmulatorOpenIdMetadataUrl. */
  get emulatorMetadataUrl(): string {
    return `${this.origin}/common/v2.0/.well-known/openid-configuration`;
  }

  /** An AAD-like authority for the botframework.com tenant; its token endpoint is `${loginUrl}/oauth2/v2.0/token`. */
  get loginUrl(): string {
    return `${this.origin}/botframework.com`;
  }

  jwksUrl(set: KeySetName): string {
    return `${this.origin}/${set}/keys`;
  }

  /** Keys currently served in a set, as published. */
  jwks(set: KeySetName): { keys: PublishedJwk[] } {
    return { keys: this.keySets[set].map((key) => key.jwk) };
  }

  /** Creates a key and serves it in `set` (default `channel`). */
  addKey(options: { kid?: string; endorsements?: string[]; set?: KeySetName } = {}): SigningKey {
    const key = createSigningKey(options);
    this.publish(key, options.set ?? 'channel');
    return key;
  }

  publish(key: SigningKey, set: KeySetName = 'channel'): void {
    if (!this.keySets[set].includes(key)) this.keySets[set].push(key);
  }

  /** A client the token endpoint accepts (client_credentials with this secret). */
  registerClient(clientId: string, secret: string): void {
    this.clients.set(clientId, secret);
  }

  sign(payload: JwtPayload, key: SigningKey, header?: JwtHeader): string {
    return signJwt(payload, key, header);
  }

  /** A Bot Framework channel token for `appId` and `serviceUrl`, signed by `key`; override any claim. */
  channelToken(key: SigningKey, options: ChannelClaimsOptions, overrides: JwtPayload = {}, header?: JwtHeader): string {
    return signJwt({ ...channelClaims(options), ...overrides }, key, header);
  }

  async close(): Promise<void> {
    await this.running.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    this.requests.push({ method, path });

    if (method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return sendJson(res, 200, {
        issuer: BOT_FRAMEWORK_TOKEN_ISSUER,
        authorization_endpoint: `${this.origin}/v1/authorize`,
        jwks_uri: this.jwksUrl('channel'),
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    const aadMetadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (method === 'GET' && aadMetadata) {
      const tenant = aadMetadata[1];
      return sendJson(res, 200, {
        issuer: `${this.origin}/${tenant}/v2.0`,
        authorization_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: this.jwksUrl('emulator'),
        response_types_supported: ['code', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    const keys = /^\/(channel|emulator)\/keys$/.exec(path);
    if (method === 'GET' && keys) return sendJson(res, 200, this.jwks(keys[1] as KeySetName));

    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (method === 'POST' && token) return this.issueToken(token[1], await readBody(req), res);

    sendJson(res, 404, { error: 'not_found', error_description: `no route for ${method} ${path}` });
  }

  private issueToken(tenant: string, body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    const clientId = form.get('client_id');
    const scope = form.get('scope');
    const grantType = form.get('grant_type');
    const secretAccepted = clientId !== null && this.clients.get(clientId) === form.get('client_secret');
    this.tokenRequests.push({ tenant, grantType, clientId, scope, secretAccepted });
    if (grantType !== 'client_credentials') {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType}` });
    }
    if (!secretAccepted || !clientId) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' });
    }
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = 3600;
    const audience = (scope ?? BOT_FRAMEWORK_SCOPE).split(' ')[0].replace(/\/\.default$/, '');
    const accessToken = signJwt(
      {
        aud: audience,
        iss: `${this.origin}/${tenant}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + expiresIn,
        azp: clientId,
        appid: clientId,
        tid: tenant,
        ver: '2.0',
      },
      this.accessTokenKey,
    );
    sendJson(res, 200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken });
  }
}
