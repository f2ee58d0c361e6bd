import type { TokenCredential } from '@azure/identity';
import type { ServiceEndpoint } from '../azure/cloud';

export interface WorkspaceMetadataRequest {
  workspaceId: string;
  credential: TokenCredential;
  /** The Log Analytics endpoint (with `/v1`) and token scope of the configured cloud, as queries use. */
  service: ServiceEndpoint;
  /** Give up after this long (default 30 s): the bot starts with the cached or bundled schema instead. */
  timeoutMs?: number;
}

/** The metadata read failed: HTTP status (when there was an answer) and the service's error code. */
export class WorkspaceMetadataError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Reads the workspace's schema: `GET {endpoint}/workspaces/{id}/metadata` (Log Analytics query API,
 * "Metadata - Get"), with the same credential, endpoint and token scope as queries; it needs only
 * read access to the workspace (Log Analytics Reader). Returns the parsed JSON body (tables with
 * their columns, functions such as ASIM parsers, …); the caller interprets it.
 */
export async function fetchWorkspaceMetadata(request: WorkspaceMetadataRequest): Promise<unknown> {
  const { service } = request;
  const url = `${service.endpoint.replace(/\/+$/, '')}/workspaces/${encodeURIComponent(request.workspaceId)}/metadata`;
  if (!url.startsWith('https:') && !service.insecureLocalEndpoint) {
    throw new WorkspaceMetadataError('Refusing to send a bearer token over plain http (the Log Analytics endpoint is not https).');
  }
  const signal = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const token = await request.credential.getToken([service.scope], { abortSignal: signal });
  if (!token) throw new WorkspaceMetadataError('The credential returned no token for the Log Analytics scope.');
  const headers = { authorization: `Bearer ${token.token}`, accept: 'application/json' };
  let response: Response;
  try {
    response = await fetch(url, { headers, signal });
  } catch (first) {
    // A GET is safe to repeat: a pooled keep-alive socket the server closed meanwhile (after a long
    // synchronous stretch, such as loading the hunts) fails once with ECONNRESET; a fresh one works.
    if (signal.aborted) throw new WorkspaceMetadataError(`The workspace metadata could not be read: no answer within ${request.timeoutMs ?? 30_000} ms`);
    try {
      response = await fetch(url, { headers, signal });
    } catch (error) {
      const reason = signal.aborted ? `no answer within ${request.timeoutMs ?? 30_000} ms` : networkReason(error ?? first);
      throw new WorkspaceMetadataError(`The workspace metadata could not be read: ${reason}`);
    }
  }
  const text = await response.text();
  if (!response.ok) {
    throw new WorkspaceMetadataError(`The workspace metadata read failed with HTTP ${response.status}${oneApiCode(text)}`, response.status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new WorkspaceMetadataError('The workspace metadata answer is not JSON.', response.status);
  }
}

/** fetch's "fetch failed" says nothing: its cause has the socket's code and message (ECONNREFUSED, …). */
function networkReason(error: unknown): string {
  // Duck-typed: under test runners fetch's errors come from another realm than this module's Error.
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const detail = cause ? [cause.code, cause.message].filter((part) => typeof part === 'string' && part !== '').join(' ') : '';
  return detail || (typeof message === 'string' ? message : String(error));
}

/** ": <code> <message>" from a OneAPI error body, or nothing. */
function oneApiCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : '';
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message.slice(0, 200) : '';
    return code || message ? `: ${[code, message].filter(Boolean).join(' ')}` : '';
  } catch {
    return '';
  }
}
