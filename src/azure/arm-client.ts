import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { ServiceEndpoint } from './cloud';
import { DeadlineExceededError, withDeadline } from './deadline';
import { useLocalEmulatorAuth } from './local-emulator-auth';
import { DEFAULT_RETRY_OPTIONS, retryWithBackoff, type RetryDecision, type RetryEvent, type RetryOptions } from './retry';
import { parseRetryAfterMs } from './retry-after';
import { TokenAcquisitionError, guardCredential } from './token-guard';
import { errorMessage } from '../util/error-message';

export interface ArmClientOptions {
  /** From readAzureCloudSettings: endpoint, scope and whether it is a local emulator. */
  service: ServiceEndpoint;
  credential: TokenCredential;
  apiVersion: string;
  /** Our retries of 429 / 5xx / timeouts / network errors; the SDK's own are off. */
  retry?: Partial<RetryOptions>;
  /** Deadline per attempt. Default 30 s. */
  requestTimeoutMs?: number;
  onRetry?: (event: RetryEvent & { method: string; path: string }) => void;
}

export interface ArmResponse {
  status: number;
  body: unknown;
}

/** A request that did not get an acceptable answer, after any retries. */
export class ArmRequestError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** HTTP status, or undefined when no response arrived (network, timeout, no token). */
    readonly statusCode: number | undefined,
    /** ARM error code (e.g. AuthorizationFailed), or our own for failures without a response. */
    readonly code: string,
    /** Whether trying again later may succeed (throttling, outage, timeout). */
    readonly transient: boolean,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ArmRequestError';
  }
}

/** What one attempt produced; retryable outcomes are thrown so retryWithBackoff sees them. */
class TransientResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const MAX_PAGES = 1000;

function armErrorOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : undefined,
    message: typeof error?.message === 'string' ? error.message : undefined,
  };
}

function parseBody(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function classify(error: unknown): RetryDecision {
  if (error instanceof TransientResponse) return { retry: true, retryAfterMs: error.retryAfterMs };
  if (error instanceof DeadlineExceededError) return { retry: true };
  // A request that never got a response (connection reset, refused) is safe to repeat: every
  // call this client makes is an idempotent GET, PUT or DELETE.
  if (isRestError(error) && error.statusCode === undefined) return { retry: true };
  return { retry: false };
}

/**
 * Raw ARM REST over @azure/core-rest-pipeline, for the few Sentinel calls the bot makes. Every
 * method is idempotent, so retries are safe; only the final outcome is reported.
 */
export class ArmClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient = createDefaultHttpClient();
  private readonly origin: string;
  private readonly retry: RetryOptions;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ArmClientOptions) {
    const credential = guardCredential(options.credential);
    this.pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: options.service.scope }), { phase: 'Sign' });
    if (options.service.insecureLocalEndpoint) useLocalEmulatorAuth(this.pipeline, credential, [options.service.scope]);
    this.origin = new URL(options.service.endpoint).origin;
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /**
   * Sends one request (with retries). Resolves for 2xx and for the statuses in `accept` (e.g. 404
   * where "not there" is an answer); rejects with ArmRequestError otherwise.
   */
  async send(
    method: HttpMethods,
    pathOrUrl: string,
    options: { body?: unknown; accept?: number[]; signal?: AbortSignal } = {},
  ): Promise<ArmResponse> {
    const url = this.urlFor(pathOrUrl);
    const path = new URL(url).pathname;
    try {
      return await retryWithBackoff(
        () => this.attempt(method, url, options),
        classify,
        this.retry,
        {
          signal: options.signal,
          onRetry: (event) => this.options.onRetry?.({ ...event, method, path }),
        },
      );
    } catch (error) {
      throw this.toArmError(error, method, path);
    }
  }

  /** GETs a collection and follows `nextLink` until the last page; returns every `value` entry. */
  async listAll(path: string, options: { signal?: AbortSignal; accept?: number[] } = {}): Promise<{ status: number; items: unknown[] }> {
    const items: unknown[] = [];
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw new ArmRequestError(`More than ${MAX_PAGES} pages at ${path}`, 'GET', path, undefined, 'TooManyPages', false);
      const response = await this.send('GET', next, options);
      if (response.status < 200 || response.status >= 300) return { status: response.status, items };
      const body = response.body as { value?: unknown[]; nextLink?: unknown } | undefined;
      items.push(...(body?.value ?? []));
      next = typeof body?.nextLink === 'string' && body.nextLink !== '' ? body.nextLink : undefined;
    }
    return { status: 200, items };
  }

  private urlFor(pathOrUrl: string): string {
    if (pathOrUrl.startsWith('/')) {
      const sep = pathOrUrl.includes('?') ? '&' : '?';
      return `${this.origin}${pathOrUrl}${sep}api-version=${encodeURIComponent(this.options.apiVersion)}`;
    }
    // A nextLink is absolute and already carries api-version and $skipToken. Follow it only to the
    // ARM host we were configured with, so the bearer token is never sent elsewhere.
    if (new URL(pathOrUrl).origin !== this.origin) {
      throw new ArmRequestError(`Refusing to follow a link to another host: ${new URL(pathOrUrl).origin}`, 'GET', pathOrUrl, undefined, 'ForeignNextLink', false);
    }
    return pathOrUrl;
  }

  private async attempt(
    method: HttpMethods,
    url: string,
    options: { body?: unknown; accept?: number[]; signal?: AbortSignal },
  ): Promise<ArmResponse> {
    const response = await withDeadline(this.requestTimeoutMs, options.signal, (abortSignal) =>
      this.pipeline.sendRequest(
        this.httpClient,
        createPipelineRequest({
          url,
          method,
          headers: createHttpHeaders({ accept: 'application/json', 'content-type': 'application/json' }),
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          abortSignal,
          allowInsecureConnection: this.options.service.insecureLocalEndpoint,
        }),
      ),
    );
    const body = parseBody(response.bodyAsText ?? undefined);
    if ((response.status >= 200 && response.status < 300) || options.accept?.includes(response.status)) {
      return { status: response.status, body };
    }
    if (RETRYABLE_STATUS.has(response.status)) {
      throw new TransientResponse(response.status, body, parseRetryAfterMs(response.headers));
    }
    const { code, message } = armErrorOf(body);
    throw new ArmRequestError(
      `ARM ${method} answered ${code ? `${response.status} ${code}` : response.status}: ${message ?? 'no details'}`,
      method,
      new URL(url).pathname,
      response.status,
      code ?? `Http${response.status}`,
      false,
    );
  }

  private toArmError(error: unknown, method: string, path: string): Error {
    if (error instanceof ArmRequestError) return error;
    if (error instanceof TransientResponse) {
      const { code, message } = armErrorOf(error.body);
      return new ArmRequestError(
        `ARM ${method} answered ${code ? `${error.status} ${code}` : error.status}: ${message ?? 'no details'}`,
        method,
        path,
        error.status,
        code ?? `Http${error.status}`,
        true,
        error.retryAfterMs,
        { cause: error },
      );
    }
    if (error instanceof DeadlineExceededError) {
      return new ArmRequestError(`ARM ${method} got no response within ${error.timeoutMs} ms`, method, path, undefined, 'Timeout', true, undefined, { cause: error });
    }
    if (error instanceof TokenAcquisitionError) {
      return new ArmRequestError(error.message, method, path, undefined, 'NoToken', false, undefined, { cause: error });
    }
    if (error instanceof Error && error.name === 'AbortError') return error;
    if (isRestError(error)) {
      return new ArmRequestError(
        `Could not reach ARM at ${this.origin}: ${error.message}`,
        method,
        path,
        undefined,
        error.code ?? 'NetworkError',
        true,
        undefined,
        { cause: error },
      );
    }
    const message = errorMessage(error);
    return new ArmRequestError(`ARM ${method} failed: ${message}`, method, path, undefined, 'Unexpected', false, undefined, { cause: error });
  }
}
