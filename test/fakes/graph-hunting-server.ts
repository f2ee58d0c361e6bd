import type * as http from 'node:http';
import type { Cell, KustoType, QueryResult } from '../../src/kql/types';
import { engineAnswer, type EngineDataset } from './engine-answer';
import { scopeOfFakeToken } from './fake-credential';
import { bearerTokenOf, delayUnlessClosed, readBody, sendJson, startFakeServer, type RunningServer } from './http-harness';
import { QueryRejected, type QueryAnswer } from './query-answer';

/**
 * A local Microsoft Graph speaking `POST /v1.0/security/runHuntingQuery` as the v1.0 reference
 * documents it: a JSON body `{ "Query": "...", "Timespan": "..." }` (nothing else), a bearer token for
 * Graph's audience, and a `huntingQueryResults` answer (`schema` of {name, type} with .NET type names,
 * `results` rows keyed by column name). Errors use Graph's body `{error:{code,message,innerError}}`.
 * Queries are evaluated by the embedded KQL engine over `dataset` unless `answer` replaces it.
 */

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The message Defender's documentation gives for a result over the size limit (a 400). */
export const RESULT_TOO_LARGE_MESSAGE = 'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again.';

export type ScriptedHuntingResponse =
  /** 429 with Retry-After (seconds) and Graph's TooManyRequests body. */
  | { kind: 'throttle'; retryAfterSeconds?: number; message?: string }
  /** 400 BadRequest naming what is wrong with the query. */
  | { kind: 'query-error'; message: string }
  /** Defender's documented 400 for a result over ~124 MB. */
  | { kind: 'result-too-large' }
  /** Any status with a Graph error body, e.g. 403 Forbidden, 500 UnknownError, 503 ServiceUnavailable. */
  | { kind: 'error'; status: number; code: string; message: string }
  /** A body that is not a Graph error (a gateway's HTML page, an empty 502). */
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  /** Answers normally after a delay (or never, if the client gives up first). */
  | { kind: 'slow'; delayMs: number };

export interface RecordedHuntingQuery {
  query: string;
  timespan?: string;
  /** Every property name of the JSON body, to prove nothing undocumented was sent. */
  bodyKeys: string[];
  contentType?: string;
  authorized: boolean;
  tokenScope?: string;
  clientRequestId?: string;
  clientDisconnected?: boolean;
}

export interface FakeGraphHuntingOptions {
  dataset?: EngineDataset;
  answer?: QueryAnswer;
  /** Tokens minted for another audience get 401 InvalidAuthenticationToken. Default Graph's public scope. */
  expectedScope?: string;
  /** Rows the service returns at most (Defender: 100,000); longer results are cut off silently, as there. */
  rowLimit?: number;
  /** `{name,type}` (the v1.0 example) or `{Name,Type}` (the page's second example). */
  schemaCasing?: 'camel' | 'pascal';
  /** Dynamic cells as JSON text (default, like the older Defender API) or as JSON values. */
  dynamicAs?: 'text' | 'json';
}

const PATH = '/v1.0/security/runHuntingQuery';
const DOCUMENTED_KEYS = new Set(['Query', 'Timespan']);

const DOTNET_TYPES: Record<KustoType, string> = {
  bool: 'Boolean',
  datetime: 'DateTime',
  dynamic: 'Object',
  int: 'Int32',
  long: 'Int64',
  real: 'Double',
  string: 'String',
  timespan: 'TimeSpan',
  guid: 'Guid',
  decimal: 'Decimal',
};

/** ISO 8601 interval, duration/end, start/duration, duration, or a single date — the reference's five forms. */
const TIMESPAN = /^(?:[0-9T:.\-+Z]+\/[0-9T:.\-+Z]+|P[0-9A-Z.]+\/[0-9T:.\-+Z]+|[0-9T:.\-+Z]+\/P[0-9A-Z.]+|P[0-9A-Z.]+|\d{4}-[0-9T:.\-+Z]+)$/;

export function graphError(code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': '00000000-0000-0000-0000-000000000000', 'client-request-id': '00000000-0000-0000-0000-000000000000' },
    },
  };
}

/** Defender writes datetimes with seven fractional digits: 2024-03-26T09:39:50.7688641Z. */
function defenderDateTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** QueryResult → huntingQueryResults as Graph sends it. */
export function toHuntingQueryResults(result: QueryResult, options: Pick<FakeGraphHuntingOptions, 'schemaCasing' | 'dynamicAs'> = {}): unknown {
  const pascal = options.schemaCasing === 'pascal';
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults',
    schema: result.columns.map((c) => (pascal ? { Name: c.name, Type: DOTNET_TYPES[c.type] } : { name: c.name, type: DOTNET_TYPES[c.type] })),
    results: result.rows.map((row) => {
      const record: Record<string, unknown> = {};
      result.columns.forEach((column, i) => {
        const cell: Cell = row[i] ?? null;
        if (cell === null) record[column.name] = null;
        else if (column.type === 'datetime' && typeof cell === 'string') record[column.name] = defenderDateTime(cell);
        else if (column.type === 'dynamic' && options.dynamicAs !== 'json') record[column.name] = JSON.stringify(cell);
        else record[column.name] = cell;
      });
      return record;
    }),
  };
}

export class FakeGraphHuntingServer {
  readonly requests: RecordedHuntingQuery[] = [];
  private readonly script: ScriptedHuntingResponse[] = [];
  private answer: QueryAnswer;

  private constructor(
    private readonly running: RunningServer,
    private readonly options: FakeGraphHuntingOptions,
  ) {
    this.answer = options.answer ?? engineAnswer(options.dataset);
  }

  static start(options: FakeGraphHuntingOptions = {}): Promise<FakeGraphHuntingServer> {
    return startFakeServer(
      (running) => new FakeGraphHuntingServer(running, options),
      (fake) => (req, res) => fake.handle(req, res),
      (error) => graphError('UnknownError', String(error)),
    );
  }

  /** The value for GRAPH_ENDPOINT: the root, without /v1.0. */
  get endpoint(): string {
    return this.running.origin;
  }

  answerWith(answer: QueryAnswer): void {
    this.answer = answer;
  }

  /** Scripts the next responses, one per incoming query, in order. */
  enqueue(...responses: ScriptedHuntingResponse[]): void {
    this.script.push(...responses);
  }

  close(): Promise<void> {
    return this.running.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== PATH) {
      sendJson(res, 400, graphError('BadRequest', `Resource not found for the segment '${url.pathname.split('/').pop() ?? ''}'.`));
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, graphError('Request_BadRequest', `The HTTP method '${req.method}' is not allowed for runHuntingQuery.`));
      return;
    }
    const text = await readBody(req);
    const token = bearerTokenOf(req);
    const contentType = req.headers['content-type'];
    const record: RecordedHuntingQuery = {
      query: '',
      bodyKeys: [],
      contentType,
      authorized: token !== undefined,
      tokenScope: token ? scopeOfFakeToken(token) : undefined,
      clientRequestId: header(req, 'client-request-id'),
    };
    this.requests.push(record);

    if (!token) {
      sendJson(res, 401, graphError('InvalidAuthenticationToken', 'Access token is empty.'));
      return;
    }
    if (record.tokenScope !== (this.options.expectedScope ?? GRAPH_SCOPE)) {
      sendJson(res, 401, graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'));
      return;
    }
    if (!contentType || !/^application\/json\b/i.test(contentType)) {
      sendJson(res, 415, graphError('UnsupportedMediaType', 'Content-Type must be application/json.'));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      sendJson(res, 400, graphError('BadRequest', 'Unable to read JSON request payload.'));
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      sendJson(res, 400, graphError('BadRequest', 'The request payload must be a JSON object.'));
      return;
    }
    const fields = body as Record<string, unknown>;
    record.bodyKeys = Object.keys(fields);
    record.query = typeof fields.Query === 'string' ? fields.Query : '';
    record.timespan = typeof fields.Timespan === 'string' ? fields.Timespan : undefined;
    const unknown = record.bodyKeys.find((key) => !DOCUMENTED_KEYS.has(key));
    if (unknown !== undefined) {
      sendJson(res, 400, graphError('BadRequest', `The parameter '${unknown}' in the request payload is not a valid parameter for the operation 'runHuntingQuery'.`));
      return;
    }
    if (record.query.trim() === '') {
      sendJson(res, 400, graphError('BadRequest', "The 'Query' parameter is required."));
      return;
    }
    if (fields.Timespan !== undefined && (record.timespan === undefined || !TIMESPAN.test(record.timespan))) {
      sendJson(res, 400, graphError('BadRequest', `The Timespan '${String(fields.Timespan)}' is not a valid ISO 8601 timespan.`));
      return;
    }

    const scripted = this.script.shift();
    switch (scripted?.kind) {
      case 'throttle':
        sendJson(
          res,
          429,
          graphError('TooManyRequests', scripted.message ?? 'Too many requests: the tenant reached its advanced hunting call quota. Try again later.'),
          scripted.retryAfterSeconds !== undefined ? { 'retry-after': String(scripted.retryAfterSeconds) } : {},
        );
        return;
      case 'query-error':
        sendJson(res, 400, graphError('BadRequest', scripted.message));
        return;
      case 'result-too-large':
        sendJson(res, 400, graphError('BadRequest', RESULT_TOO_LARGE_MESSAGE));
        return;
      case 'error':
        sendJson(res, scripted.status, graphError(scripted.code, scripted.message));
        return;
      case 'raw':
        res.writeHead(scripted.status, { 'content-type': scripted.contentType ?? 'text/html' });
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
      result = await this.answer({ workspaceId: 'defender', query: record.query, timespan: record.timespan });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof QueryRejected) sendJson(res, 400, graphError('BadRequest', message));
      else sendJson(res, 500, graphError('UnknownError', `The fake Graph server could not evaluate the query: ${message}`));
      return;
    }
    const limit = this.options.rowLimit ?? 100_000;
    const shown = result.rows.length > limit ? { columns: result.columns, rows: result.rows.slice(0, limit) } : result;
    sendJson(res, 200, toHuntingQueryResults(shown, this.options));
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
