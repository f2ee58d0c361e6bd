import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { OwnCardUpdateRetriesAuthentication } from './connector-put-retries';
import { withLeanActivityCalls } from './lean-activity-calls';

/** Distinct (app id, service URL, audience) clients kept; Teams uses a handful of regional service URLs. */
const MAX_CLIENTS = 64;

/**
 * The SDK builds a new connector client (an HTTP pipeline of a dozen policies) and a new user-token
 * client for every turn and every proactive turn (a card PUT, a member read): in a burst of 50
 * conversations that was ~6 % of the main thread. The clients hold nothing of a turn — only the bot's
 * credentials for an app id and audience, which the SDK would build identically again — so they are
 * built once per (app id, service URL, audience) and reused. A client that could not be built is not kept.
 * Its message posts, card updates and member reads go out as plain HTTP (lean-activity-calls.ts).
 */
export class ReusedConnectorClientsAuthentication extends OwnCardUpdateRetriesAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return { ...result, connectorFactory: result.connectorFactory && this.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)) };
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.tokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) =>
        kept(this.connectors, JSON.stringify([appId, serviceUrl, audience ?? '']), () => factory.create(serviceUrl, audience).then((client) => withLeanActivityCalls(client, serviceUrl))),
    };
  }
}

/** The app id the SDK's factories build a client for (ParameterizedBotFrameworkAuthentication's getAppId). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** The client kept under `key`, else a new one (kept once built; the oldest is let go beyond MAX_CLIENTS). */
function kept<T>(clients: Map<string, Promise<T>>, key: string, build: () => Promise<T>): Promise<T> {
  const existing = clients.get(key);
  if (existing) return existing;
  const client = build();
  clients.set(key, client);
  while (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  client.catch(() => {
    if (clients.get(key) === client) clients.delete(key);
  });
  return client;
}
