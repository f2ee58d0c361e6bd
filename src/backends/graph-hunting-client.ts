import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type HttpHeaders,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { ServiceEndpoint } from '../azure/cloud';
import { useLocalEmulatorAuth } from '../azure/local-emulator-auth';

/** The documented request body of `POST /v1.0/security/runHuntingQuery`. */
export interface RunHuntingQueryBody {
  Query: string;
  /** ISO 8601: an interval "start/end", a duration ("P30D") or "duration/end". Absent → the service's 30 days. */
  Timespan?: string;
}

/** A non-2xx answer from Graph, with what the failure mapping needs. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: HttpHeaders,
    /** The parsed JSON body (`{error:{code,message,innerError}}` from Graph), or the raw text. */
    readonly body: unknown,
  ) {
    super(`Microsoft Graph answered HTTP ${status}`);
    this.name = 'GraphHttpError';
  }
}

/** A 2xx whose body is not JSON: a proxy's page, a cut-off stream. */
export class GraphUnreadableResponse extends Error {
  constructor(readonly status: number) {
    super(`Microsoft Graph answered HTTP ${status} with a body that is not JSON`);
    this.name = 'GraphUnreadableResponse';
  }
}

function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false; text: string } {
  if (!text) return { ok: false, text: '' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, text };
  }
}

/**
 * One call, `POST {graph}/v1.0/security/runHuntingQuery`, over @azure/core-rest-pipeline with the
 * bearer token of the shared credential. The pipeline's own retries are off: the backend retries
 * throttled queries itself (with Retry-After), and retrying anything else would re-run a costly hunt.
 */
export class GraphHuntingClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  readonly url: string;

  constructor(
    private readonly service: ServiceEndpoint,
    credential: TokenCredential,
  ) {
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: service.scope }), { phase: 'Sign' });
    if (service.insecureLocalEndpoint) useLocalEmulatorAuth(this.pipeline, credential, [service.scope]);
    this.url = `${service.endpoint.replace(/\/+$/, '')}/v1.0/security/runHuntingQuery`;
  }

  /** Resolves with the parsed 200 body; rejects with GraphHttpError for any other status. */
  async run(body: RunHuntingQueryBody, options: { abortSignal: AbortSignal; clientRequestId?: string }): Promise<unknown> {
    const headers = createHttpHeaders({
      accept: 'application/json',
      // The reference asks for an explicit charset when a query holds non-ANSI characters; always sending it is harmless.
      'content-type': 'application/json; charset=utf-8',
    });
    if (options.clientRequestId) headers.set('client-request-id', options.clientRequestId);
    const response = await this.pipeline.sendRequest(
      this.httpClient,
      createPipelineRequest({
        url: this.url,
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        abortSignal: options.abortSignal,
        allowInsecureConnection: this.service.insecureLocalEndpoint,
      }),
    );
    const parsed = parseJson(response.bodyAsText ?? undefined);
    if (response.status >= 200 && response.status < 300) {
      if (!parsed.ok) throw new GraphUnreadableResponse(response.status);
      return parsed.value;
    }
    throw new GraphHttpError(response.status, response.headers, parsed.ok ? parsed.value : parsed.text);
  }
}
