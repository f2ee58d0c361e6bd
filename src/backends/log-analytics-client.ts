import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { TokenCredential } from '@azure/identity';
import { useLocalEmulatorAuth } from '../azure/local-emulator-auth';
import { callerAbortSignalPolicy } from './caller-abort-signal-policy';
import { oneApiErrorBodyPolicy } from './log-analytics-error-body-policy';

export interface LogsClientOptions {
  /** Used verbatim by the SDK, so it must include `/v1`. */
  endpoint: string;
  /** e.g. ['https://api.loganalytics.us/.default']; the SDK ignores its `audience` option. */
  scopes: string[];
  /** Plain-http loopback emulator: swap the https-only bearer policy for ours. */
  insecureLocalEndpoint: boolean;
}

/**
 * Builds the SDK client the backend uses. Its retry policy is switched off (maxRetries 0) because
 * the backend retries throttled queries itself; leaving both on would multiply the attempts. Two
 * policies work around SDK 1.0.0 defects (see their files): the caller's abort signal is carried to
 * the request, and error responses without a OneAPI body still become a RestError with a status.
 * Call queryWorkspace inside runWithAbortSignal for cancellation to reach the socket.
 */
export function createLogsQueryClient(credential: TokenCredential, options: LogsClientOptions): LogsQueryClient {
  const client = new LogsQueryClient(credential, {
    endpoint: options.endpoint,
    credentials: { scopes: options.scopes },
    retryOptions: { maxRetries: 0 },
    allowInsecureConnection: options.insecureLocalEndpoint,
  });
  client.pipeline.addPolicy(callerAbortSignalPolicy());
  client.pipeline.addPolicy(oneApiErrorBodyPolicy());
  if (options.insecureLocalEndpoint) useLocalEmulatorAuth(client.pipeline, credential, options.scopes);
  return client;
}
