import type { Activity } from 'botbuilder';
import type { AuthenticateRequestResult, ClaimsIdentity, ConnectorClient, ConnectorFactory } from 'botframework-connector';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ChannelOnlyBotFrameworkAuthentication } from './channel-authentication';

/**
 * Card updates (PUT) are retried by card-put-retry.ts, bounded in attempts and total time. The
 * connector client's own retry policy (core-rest-pipeline's defaultRetryPolicy: 3 retries, honouring
 * any Retry-After however long) would multiply those attempts and could hold an update for minutes,
 * so it is skipped for PUTs and kept for everything else (replies, member lookups).
 */
export class OwnCardUpdateRetriesAuthentication extends ChannelOnlyBotFrameworkAuthentication {
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return withoutSdkPutRetries(super.createConnectorFactory(claimsIdentity));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return { ...result, connectorFactory: result.connectorFactory && withoutSdkPutRetries(result.connectorFactory) };
  }
}

function withoutSdkPutRetries(factory: ConnectorFactory): ConnectorFactory {
  return {
    create: async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const client = await factory.create(serviceUrl, audience);
      skipRetryPolicyForPuts(client);
      return client;
    },
  };
}

interface PolicyPipeline {
  removePolicy(options: { phase?: 'Retry' }): PipelinePolicy[];
  addPolicy(policy: PipelinePolicy, options?: { phase?: 'Retry' }): void;
}

/**
 * botbuilder-stdlib's ServiceClientContext keeps its core-client ServiceClient in a private `client`
 * field (4.23, azureCoreHttpCompat/serviceClientContext.js) and offers no retry option. If a later
 * version changes that shape, this does nothing and the SDK's retries simply stay in place.
 */
function skipRetryPolicyForPuts(client: ConnectorClient): void {
  const pipeline = (client as unknown as { client?: { pipeline?: Partial<PolicyPipeline> } }).client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') return;
  const retries = pipeline.removePolicy({ phase: 'Retry' });
  if (retries.length === 0) return;
  pipeline.addPolicy(
    {
      name: 'huntbotRetryExceptCardUpdates',
      sendRequest: (request, next) => {
        if (request.method === 'PUT') return next(request);
        const chain = retries.reduceRight<typeof next>((inner, policy) => (r) => policy.sendRequest(r, inner), next);
        return chain(request);
      },
    },
    { phase: 'Retry' },
  );
}
