import { createHttpHeaders, type PipelinePolicy } from '@azure/core-rest-pipeline';

export const oneApiErrorBodyPolicyName = 'oneApiErrorBodyPolicy';

function hasOneApiError(bodyAsText: string | null | undefined): boolean {
  if (!bodyAsText) return false;
  try {
    const parsed: unknown = JSON.parse(bodyAsText);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'object';
  } catch {
    return false;
  }
}

/**
 * @azure/monitor-query-logs 1.0.0 deserialises every non-200 body as `{error:{...}}` without a
 * guard, so an empty 500 or a gateway's HTML 502/504 surfaces as a bare `TypeError: Cannot read
 * properties of undefined` with no status code (reproduced against a local server). This policy
 * gives such responses a minimal OneAPI error body so the SDK throws a proper RestError carrying the
 * status and headers (Retry-After included). Bodies that already are OneAPI errors pass untouched.
 */
export function oneApiErrorBodyPolicy(): PipelinePolicy {
  return {
    name: oneApiErrorBodyPolicyName,
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status < 400 || hasOneApiError(response.bodyAsText)) return response;
      const headers = createHttpHeaders(response.headers.toJSON());
      headers.set('content-type', 'application/json');
      return {
        ...response,
        headers,
        bodyAsText: JSON.stringify({
          error: { code: `Http${response.status}`, message: `HTTP ${response.status} with no error details in the body` },
        }),
      };
    },
  };
}
