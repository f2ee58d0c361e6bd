import type { ConnectorClient } from 'botframework-connector';
import { retryWithBackoff, type RetryOptions } from '../azure/retry';
import { isRetryableConnectorError, retryAfterOf } from './card-put-retry';
import { CONNECTOR_ANSWER_DEADLINE_MS, connectorCall, type ConnectorMethod, type Credentials } from './connector-http';

export { ConnectorCallError } from './connector-http';

/**
 * A message or member read Teams throttles or fails is tried again as the SDK's client did (3 retries), but
 * never after waiting longer than 30 s: a Retry-After beyond that ends it with the error.
 */
const RETRIES: Readonly<RetryOptions> = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** Environment keys that route the SDK's HTTP client through a proxy, which these plain requests would not use. */
const PROXY_KEYS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

export interface LeanActivityOptions {
  env?: NodeJS.ProcessEnv;
  answerDeadlineMs?: number;
}

/**
 * Gives a connector client plain HTTP (connector-http.ts) for the calls every hunt makes — post a message, reply,
 * update a card, read the conversation's members for the card's refresh — instead of the SDK's pipeline
 * (core-client's model serializer, the compat layer and a dozen policies): in a burst of 50 conversations that
 * pipeline was a fifth of the bot's main thread. Each request is still signed by the client's own credentials
 * (the SDK's token and its cache); every other call (conversations, attachments, single members) still goes
 * through the SDK. Left alone when a proxy is configured (the SDK's client honours it) or when the client does
 * not have the shape this relies on.
 */
export function withLeanActivityCalls(client: ConnectorClient, serviceUrl: string, { env = process.env, answerDeadlineMs = CONNECTOR_ANSWER_DEADLINE_MS }: LeanActivityOptions = {}): ConnectorClient {
  const credentials = (client as unknown as { credentials?: Partial<Credentials> }).credentials;
  if (PROXY_KEYS.some((key) => env[key]) || typeof credentials?.signRequest !== 'function') return client;
  const base = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
  const call = (method: ConnectorMethod, path: string, activity?: unknown) => connectorCall(credentials as Credentials, method, new URL(path, base), activity, answerDeadlineMs);
  const conversation = (id: string) => `v3/conversations/${encodeURIComponent(id)}`;
  const conversations = client.conversations as unknown as Record<string, unknown>;
  // Messages and member reads are retried here; card updates by card-put-retry.ts, bounded in time, so not here.
  conversations.sendToConversation = (conversationId: string, activity: unknown) => withRetries(() => call('POST', `${conversation(conversationId)}/activities`, activity));
  conversations.replyToActivity = (conversationId: string, activityId: string, activity: unknown) =>
    withRetries(() => call('POST', `${conversation(conversationId)}/activities/${encodeURIComponent(activityId)}`, activity));
  conversations.updateActivity = (conversationId: string, activityId: string, activity: unknown) => call('PUT', `${conversation(conversationId)}/activities/${encodeURIComponent(activityId)}`, activity);
  // TeamsInfo.getPagedMembers (the card refresh's members) reads a conversation's or a team's members this way.
  conversations.getConversationPagedMembers = (conversationId: string, options: { pageSize?: number; continuationToken?: string } = {}) =>
    withRetries(() => call('GET', `${conversation(conversationId)}/pagedmembers${query({ pageSize: options.pageSize, continuationToken: options.continuationToken })}`));
  return client;
}

/** `?name=value&…` of the defined values, each encoded as the SDK's client encodes query parameters. */
function query(parameters: Record<string, string | number | undefined>): string {
  const pairs = Object.entries(parameters).filter(([, value]) => value !== undefined && value !== '');
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('&')}`;
}

function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  return retryWithBackoff(attempt, (error) => (isRetryableConnectorError(error) ? { retry: true, retryAfterMs: retryAfterOf(error) } : { retry: false }), RETRIES);
}

