import * as http from 'node:http';
import * as https from 'node:https';

/**
 * The connector's REST calls as plain HTTP (see lean-activity-calls.ts): one signed JSON request, its answer
 * read as the SDK's client read it, failures shaped like core-rest-pipeline's RestError.
 */

/** Connections to each connector host are kept open between calls, as the SDK's HTTP client keeps them. */
const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) } as const;

const USER_AGENT = `Microsoft-BotFramework/3.1 sentinel-hunt-bot (Node.js,Version=${process.version})`;

/** A failed connector call, shaped as core-rest-pipeline's RestError where our retry and reporting code read it. */
export class ConnectorCallError extends Error {
  /** Not enumerable, as on RestError: a logged error carries its status and code, not the whole answer. */
  declare readonly response: ConnectorAnswer;

  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    response: ConnectorAnswer,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorCallError';
    Object.defineProperty(this, 'response', { value: response, enumerable: false });
  }
}

interface ConnectorAnswer {
  status: number;
  headers: { get(name: string): string | undefined };
  bodyAsText: string;
}

/**
 * How long a call may wait for the connector's status. Past it the call fails and is not tried again (the
 * message or update may still land): a connector that holds the connection open without answering must not
 * hold the hunt's place in the queue, or a shutdown, for ever (the SDK's client had no limit).
 */
export const CONNECTOR_ANSWER_DEADLINE_MS = 30_000;

export type ConnectorMethod = 'POST' | 'PUT' | 'GET';

export interface SignableRequest {
  url: string;
  method: string;
  headers: { set(name: string, value: string): void; get(name: string): string | undefined };
}

export interface Credentials {
  signRequest(request: SignableRequest): Promise<unknown>;
}

/**
 * One signed JSON request; resolves with the connector's answer (a ResourceResponse, or what a GET asked for),
 * rejects with ConnectorCallError on a non-2xx status.
 */
export async function connectorCall(credentials: Credentials, method: ConnectorMethod, url: URL, activity: unknown, deadlineMs: number): Promise<Record<string, unknown>> {
  const headers = new Map<string, string>([
    ['accept', 'application/json'],
    ['user-agent', USER_AGENT],
  ]);
  await credentials.signRequest({ url: url.href, method, headers: { set: (name, value) => headers.set(name.toLowerCase(), value), get: (name) => headers.get(name.toLowerCase()) } });
  const body = method === 'GET' ? '' : JSON.stringify(activity);
  if (method !== 'GET') {
    headers.set('content-type', 'application/json; charset=utf-8');
    headers.set('content-length', String(Buffer.byteLength(body)));
  }
  const answer = await send(method, url, Object.fromEntries(headers), body, deadlineMs);
  const text = answer.body;
  if (answer.status >= 200 && answer.status < 300) return method === 'GET' ? readAnswer(answer) : resourceResponse(text);
  const detail = errorDetail(text);
  const responseHeaders = { get: (name: string) => headerValue(answer.headers[name.toLowerCase()]) };
  throw new ConnectorCallError(answer.status, detail.code, { status: answer.status, headers: responseHeaders, bodyAsText: text }, detail.message ?? `the connector answered ${answer.status} to ${method} ${url.pathname}`);
}

/**
 * The connector's answer. Rejects only when no status arrived: a network failure (worth retrying) or the deadline
 * (not retried). Once the status has arrived the connector has acted on the request, so a body cut off after it
 * is taken as far as it came: rejecting would make the POST retry post the message twice.
 */
function send(method: string, url: URL, headers: Record<string, string>, body: string, deadlineMs: number): Promise<ConnectorResponse> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    /** Set once the status has arrived: resolves with the answer as far as it came. */
    let answered: (() => void) | undefined;
    const request = (secure ? https : http).request(url, { method, headers, agent: secure ? AGENTS['https:'] : AGENTS['http:'] }, (response) => {
      const chunks: Buffer[] = [];
      let complete = false;
      answered = () => {
        clearTimeout(deadline);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), complete });
      };
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', answered);
      response.on('end', () => {
        complete = true;
        answered?.();
      });
      response.on('close', answered);
    });
    // Past the deadline the request is torn down: with no status yet it fails with an error no retry rule takes
    // for a network failure; with the status in, the answer counts as far as it came. Started once the request
    // exists: a request that could not be made (http.request threw) has nothing to tear down.
    const deadline = setTimeout(() => {
      if (answered) answered();
      const mayLand = method === 'GET' ? '' : ' (the activity may still arrive)';
      request.destroy(Object.assign(new Error(`Teams did not answer within ${deadlineMs / 1000} s${mayLand}`), { code: 'ECONNECTOR_DEADLINE' }));
    }, deadlineMs);
    request.on('error', (error) => {
      clearTimeout(deadline);
      if (answered) answered();
      else reject(error);
    });
    request.end(body);
  });
}

interface ConnectorResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** False when the connection ended before the whole body came. */
  complete: boolean;
}

/**
 * What a GET asked for. A read changes nothing, so an answer cut off or not JSON is a failed attempt (a network
 * failure, tried again), never an empty member list.
 */
function readAnswer(answer: ConnectorResponse): Record<string, unknown> {
  try {
    const parsed: unknown = answer.complete ? JSON.parse(answer.body) : undefined;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // below
  }
  throw Object.assign(new Error(`the connector's answer (${answer.status}) was cut off or is not JSON`), { code: 'ECONNRESET' });
}

/**
 * The ResourceResponse of a 2xx answer. An answer without a JSON object (empty, cut off, HTML) still means the
 * activity was accepted, only its id is unknown: `{}`, as the SDK's client answered a body it did not parse.
 */
function resourceResponse(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The code and message of an error body: the Bot Framework's `{ "error": { "code", "message" } }`, else a bare
 * `{ "code", "message" }` (the connector's 401 for a wrong app password is `{ "message": "Authorization has been
 * denied for this request." }`), as core-client's `parsedBody.error || parsedBody` read it.
 */
function errorDetail(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: unknown } | null;
    const error = (typeof body?.error === 'object' && body.error !== null ? body.error : body) as { code?: unknown; message?: unknown } | null;
    return { code: typeof error?.code === 'string' ? error.code : undefined, message: typeof error?.message === 'string' ? error.message : undefined };
  } catch {
    return {};
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
