import type * as http from 'node:http';
import type { Cell, QueryResult } from '../../src/kql/types';
import { engineAnswer, type EngineDataset } from './engine-answer';
import { scopeOfFakeToken } from './fake-credential';
import { bearerTokenOf, delayUnlessClosed, readBody, sendJson, startFakeServer, type RunningServer } from './http-harness';
import { QueryRejected, type QueryAnswer } from './query-answer';

export { QueryRejected, type QueryAnswer, type QueryInput } from './query-answer';

/**
 * A local Log Analytics query API (`POST /v1/workspaces/{id}/query`) speaking the documented wire
 * format, so the real @azure/monitor-query-logs client can be exercised over real HTTP. By default
 * queries are evaluated by the embedded KQL engine over `dataset` (see engine-answer.ts); an
 * `answer` function replaces that. Failures are scripted per request.
 */

export type ScriptedQueryResponse =
  /** 200 with the tables and an `error` beside them (the SDK's PartialFailure). */
  | { kind: 'partial-error'; code?: string; message: string }
  /** 400 OneAPI BadArgumentError with a SyntaxError inner error. */
  | { kind: 'syntax-error'; message: string }
  /** 429 with Retry-After (seconds) and/or retry-after-ms. */
  | { kind: 'throttle'; retryAfterSeconds?: number; retryAfterMs?: number }
  /** Any status with a OneAPI error body, e.g. 403 InsufficientAccessError, 500 InternalServerError, 504 GatewayTimeout. */
  | { kind: 'error'; status: number; code: string; message: string }
  /** A body that is not OneAPI (an empty 500, a gateway's HTML page). */
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  /** Answers normally after a delay (or never answers before the client gives up). */
  | { kind: 'slow'; delayMs: number };

export interface RecordedQuery {
  workspaceId: string;
  query: string;
  timespan?: string;
  additionalWorkspaces?: string[];
  /** The raw `Prefer` header, e.g. "wait=120". */
  prefer?: string;
  authorized: boolean;
  /** The scope the bearer token was minted for (FakeTokenCredential tokens only). */
  tokenScope?: string;
  clientRequestId?: string;
  /** Set when the client closed the connection before a (slow) answer was sent: a cancel or a deadline. */
  clientDisconnected?: boolean;
}

export interface FakeLogAnalyticsOptions {
  /** Tables and watchlists the embedded engine evaluates queries over (the default answer). */
  dataset?: EngineDataset;
  /** Replaces the engine: return a fixed result, or throw QueryRejected for a 400. */
  answer?: QueryAnswer;
  /** When set, tokens minted for another scope get 403 InvalidAuthenticationTokenAudience, as in Azure. */
  expectedScope?: string;
  /**
   * The workspace schema `GET /v1/workspaces/{id}/metadata` serves, in the documented MetadataResults
   * shape (tables with columns, functions with parameters and body, …). Without it the path is a 404,
   * as the fake was before it spoke metadata.
   */
  metadata?: unknown;
}

/** A metadata read the fake saw. */
export interface RecordedMetadataRead {
  workspaceId: string;
  authorized: boolean;
  tokenScope?: string;
}

const PATH = /^\/v1\/workspaces\/([^/]+)\/query$/;
const METADATA_PATH = /^\/v1\/workspaces\/([^/]+)\/metadata$/;

function oneApiError(code: string, message: string, innererror?: { code: string; message: string }): unknown {
  return { error: { message, code, correlationId: '00000000-0000-0000-0000-000000000000', ...(innererror ? { innererror } : {}) } };
}

/** QueryResult → the wire table: dynamic cells become JSON-encoded strings, datetimes stay strings. */
export function toWireTable(result: QueryResult, name = 'PrimaryResult'): unknown {
  const dynamicAt = result.columns.map((c) => c.type === 'dynamic');
  return {
    name,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: result.rows.map((row) =>
      row.map((cell: Cell | Date, i) => {
        if (cell === null || cell === undefined) return null;
        if (cell instanceof Date) return cell.toISOString();
        return dynamicAt[i] ? JSON.stringify(cell) : cell;
      }),
    ),
  };
}

export class FakeLogAnalyticsServer {
  readonly requests: RecordedQuery[] = [];
  readonly metadataReads: RecordedMetadataRead[] = [];
  /** When set, metadata reads get this status with a OneAPI error (e.g. 503 while "the API is down"). */
  private metadataFailure?: number;
  private readonly script: ScriptedQueryResponse[] = [];
  private answer: QueryAnswer;

  private constructor(
    private readonly running: RunningServer,
    private readonly options: FakeLogAnalyticsOptions,
  ) {
    this.answer = options.answer ?? engineAnswer(options.dataset);
  }

  static start(options: FakeLogAnalyticsOptions = {}): Promise<FakeLogAnalyticsServer> {
    return startFakeServer(
      (running) => new FakeLogAnalyticsServer(running, options),
      (fake) => (req, res) => fake.handle(req, res),
      (error) => oneApiError('InternalServerError', String(error)),
    );
  }

  /** The value for LogsQueryClient's `endpoint` (with /v1). */
  get endpoint(): string {
    return `${this.running.origin}/v1`;
  }

  /** Replaces how queries are answered. */
  answerWith(answer: QueryAnswer): void {
    this.answer = answer;
  }

  /** Scripts the next responses, one per incoming request, in order; unscripted requests are answered normally. */
  enqueue(...responses: ScriptedQueryResponse[]): void {
    this.script.push(...responses);
  }

  close(): Promise<void> {
    return this.running.close();
  }

  /** Metadata reads fail with this status from now on (undefined: answer again). */
  failMetadataWith(status: number | undefined): void {
    this.metadataFailure = status;
  }

  /** Serves this schema from now on. */
  serveMetadata(metadata: unknown): void {
    this.options.metadata = metadata;
  }

  private handleMetadata(req: http.IncomingMessage, res: http.ServerResponse, workspaceId: string): void {
    const token = bearerTokenOf(req);
    this.metadataReads.push({ workspaceId, authorized: token !== undefined, tokenScope: token ? scopeOfFakeToken(token) : undefined });
    if (!token) {
      sendJson(res, 401, oneApiError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."));
    } else if (this.options.expectedScope && scopeOfFakeToken(token) !== this.options.expectedScope) {
      sendJson(res, 403, oneApiError('InvalidAuthenticationTokenAudience', 'The provided authentication is not valid for this resource'));
    } else if (this.metadataFailure !== undefined) {
      sendJson(res, this.metadataFailure, oneApiError('ServiceUnavailable', 'The service is temporarily unavailable'));
    } else if (this.options.metadata === undefined) {
      sendJson(res, 404, oneApiError('PathNotFoundError', `The requested path does not exist: GET /v1/workspaces/${workspaceId}/metadata`));
    } else {
      sendJson(res, 200, this.options.metadata);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const metadata = METADATA_PATH.exec(url.pathname);
    if (metadata && (req.method === 'GET' || req.method === 'POST')) {
      this.handleMetadata(req, res, decodeURIComponent(metadata[1] ?? ''));
      return;
    }
    const match = PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      sendJson(res, 404, oneApiError('PathNotFoundError', `The requested path does not exist: ${req.method} ${url.pathname}`));
      return;
    }
    const workspaceId = decodeURIComponent(match[1] ?? '');
    const text = await readBody(req);
    let body: { query?: unknown; timespan?: unknown; workspaces?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      sendJson(res, 400, oneApiError('BadArgumentError', 'The request body is not valid JSON'));
      return;
    }
    const token = bearerTokenOf(req);
    const record: RecordedQuery = {
      workspaceId,
      query: typeof body.query === 'string' ? body.query : '',
      timespan: typeof body.timespan === 'string' ? body.timespan : undefined,
      additionalWorkspaces: Array.isArray(body.workspaces) ? (body.workspaces as string[]) : undefined,
      prefer: headerValue(req, 'prefer'),
      authorized: token !== undefined,
      tokenScope: token ? scopeOfFakeToken(token) : undefined,
      clientRequestId: headerValue(req, 'x-ms-client-request-id'),
    };
    this.requests.push(record);

    if (!token) {
      sendJson(res, 401, oneApiError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."));
      return;
    }
    if (this.options.expectedScope && record.tokenScope !== this.options.expectedScope) {
      sendJson(
        res,
        403,
        oneApiError('InvalidAuthenticationTokenAudience', 'The provided authentication is not valid for this resource'),
      );
      return;
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      sendJson(res, 400, oneApiError('BadArgumentError', "The request had some invalid properties: 'query' is required"));
      return;
    }

    const scripted = this.script.shift();
    switch (scripted?.kind) {
      case 'syntax-error':
        sendJson(
          res,
          400,
          oneApiError('BadArgumentError', 'The request had some invalid properties', { code: 'SyntaxError', message: scripted.message }),
        );
        return;
      case 'throttle': {
        const headers: Record<string, string> = {};
        if (scripted.retryAfterSeconds !== undefined) headers['retry-after'] = String(scripted.retryAfterSeconds);
        if (scripted.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scripted.retryAfterMs);
        sendJson(res, 429, oneApiError('TooManyRequests', 'Too many requests; please retry later'), headers);
        return;
      }
      case 'error':
        sendJson(res, scripted.status, oneApiError(scripted.code, scripted.message));
        return;
      case 'raw':
        res.writeHead(scripted.status, { 'content-type': scripted.contentType ?? 'text/plain' });
        res.end(scripted.body);
        return;
      case 'slow':
        await delayUnlessClosed(req, scripted.delayMs);
        if (req.socket.destroyed) {
          record.clientDisconnected = true;
          return;
        }
        break;
      default:
        break;
    }

    let result: QueryResult;
    try {
      result = await this.answer({ workspaceId, query: body.query, timespan: record.timespan });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof QueryRejected) {
        sendJson(res, 400, oneApiError('BadArgumentError', 'The request had some invalid properties', { code: error.innerCode, message }));
      } else {
        // The fake could not evaluate a valid query (e.g. a construct the engine lacks): say so loudly.
        sendJson(res, 500, oneApiError('FakeEvaluationError', `The fake Log Analytics server could not evaluate the query: ${message}`));
      }
      return;
    }
    const payload: Record<string, unknown> = { tables: [toWireTable(result)] };
    if (scripted?.kind === 'partial-error') {
      payload.error = { code: scripted.code ?? 'PartialError', message: scripted.message, details: [] };
    }
    sendJson(res, 200, payload);
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
