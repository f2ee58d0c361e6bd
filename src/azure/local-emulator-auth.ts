import {
  bearerTokenAuthenticationPolicyName,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';

export const localEmulatorBearerPolicyName = 'localEmulatorBearerPolicy';

function isLoopbackUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:') return true;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Sends `Authorization: Bearer <token>` from the credential on every request. It exists because the
 * SDK's bearer policy refuses any non-https URL, even with allowInsecureConnection, which rules out
 * a plain-http local emulator. It refuses anything but https or a loopback host, so a token can
 * never leave the machine unencrypted even if misconfigured.
 */
export function localEmulatorBearerPolicy(credential: TokenCredential, scopes: string[]): PipelinePolicy {
  return {
    name: localEmulatorBearerPolicyName,
    async sendRequest(request, next) {
      if (!isLoopbackUrl(request.url)) {
        throw new Error('Refusing to send a bearer token over plain http to a non-loopback host.');
      }
      const token = await credential.getToken(scopes, { abortSignal: request.abortSignal });
      if (token) request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/**
 * Swaps the SDK's bearer policy for localEmulatorBearerPolicy. Call only when the configuration
 * explicitly points at a local emulator (ServiceEndpoint.insecureLocalEndpoint).
 */
export function useLocalEmulatorAuth(pipeline: Pipeline, credential: TokenCredential, scopes: string[]): void {
  pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  pipeline.addPolicy(localEmulatorBearerPolicy(credential, scopes), { phase: 'Sign' });
}
