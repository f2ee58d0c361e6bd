import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One activity the bot sent or updated through the connector. */
export interface ConnectorActivity {
  id: string;
  conversationId: string;
  operation: 'send' | 'update';
  activity: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: boolean;
  body: unknown;
  /** The status the connector answered with. */
  status: number;
  /** When it arrived (ms since the epoch), so tests can check the gap a Retry-After asked for. */
  at: number;
}

/** A connector fault for tests: the next `times` card updates (PUTs), or sends (POSTs), are refused with `status`. */
export interface UpdateFault {
  /** PUT (card updates, the default) or POST (new messages). */
  method?: 'PUT' | 'POST';
  status: number;
  times: number;
  /** Sent as the `Retry-After` header (seconds). */
  retryAfterSeconds?: number;
  /** Only updates of this activity; any activity when omitted. */
  activityId?: string;
}

/** A conversation member as `GET /v3/conversations/{id}/pagedmembers` lists it (TeamsChannelAccount). */
export interface ConnectorMember {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName?: string;
  email?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: string;
}

/**
 * A local stand-in for the Bot Framework connector service: the bot's replies (POST) and in-place
 * updates (PUT) to `/v3/conversations/...` land here. `huntbot chat` renders them; tests assert on them.
 */
export class LocalConnector extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  /** Every send and update, in arrival order. */
  readonly events: ConnectorActivity[] = [];
  /** The latest state of each activity the bot posted. */
  readonly activities = new Map<string, ConnectorActivity>();
  private server?: http.Server;
  private counter = 0;
  private readonly updateFaults: UpdateFault[] = [];
  /** Who is in every conversation, as `pagedmembers` lists them (none by default). */
  members: ConnectorMember[] = [];
  /** Most members on one `pagedmembers` page, whatever page size was asked for (Teams' maximum is 500). */
  membersPageSizeMax = 500;
  private membersFaults: MembersFault[] = [];

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the local connector is not listening');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Refuses the next matching card updates (or sends) as Teams does when throttling (429) or failing (4xx/5xx). */
  failUpdates(fault: UpdateFault): this {
    this.updateFaults.push({ ...fault });
    return this;
  }

  /** Refuses the next `times` member reads (`pagedmembers`) with `status`, asking to wait `retryAfterSeconds` when given. */
  failMembers(fault: MembersFault): this {
    this.membersFaults.push({ ...fault });
    return this;
  }

  /** Ends every injected fault. */
  clearFaults(): this {
    this.updateFaults.length = 0;
    this.membersFaults = [];
    return this;
  }

  /** Resolves with the first recorded activity event that matches, or rejects after the timeout. */
  waitFor(predicate: (event: ConnectorActivity) => boolean, timeoutMs = 30_000): Promise<ConnectorActivity> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('activity', listener);
        reject(new Error(`no matching activity within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: ConnectorActivity) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.off('activity', listener);
        resolve(event);
      };
      this.on('activity', listener);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return reply(res, 400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
    }
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const recorded: RecordedRequest = { method: req.method ?? '', path, authorization: Boolean(req.headers.authorization), body, status: 200, at: Date.now() };
    this.requests.push(recorded);

    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (match && (req.method === 'POST' || req.method === 'PUT')) {
      const [, conversationId, activityId] = match;
      const activity = (body ?? {}) as Record<string, unknown>;
      const isUpdate = req.method === 'PUT';
      const fault = this.updateFaults.find(
        (f) => f.times > 0 && (f.method ?? 'PUT') === req.method && (f.activityId === undefined || f.activityId === activityId),
      );
      if (fault) {
        fault.times--;
        recorded.status = fault.status;
        return replyFault(res, fault);
      }
      const id = isUpdate && activityId ? activityId : `activity-${++this.counter}`;
      const event: ConnectorActivity = { id, conversationId, operation: isUpdate ? 'update' : 'send', activity: { ...activity, id } };
      this.events.push(event);
      this.activities.set(id, event);
      reply(res, 200, { id });
      this.emit('activity', event);
      return;
    }
    if (/^\/v3\/conversations\/[^/]+\/pagedmembers$/.test(path) && req.method === 'GET') {
      const fault = this.membersFaults.find((f) => f.times > 0);
      if (fault) {
        fault.times--;
        recorded.status = fault.status;
        return replyFault(res, fault);
      }
      return reply(res, 200, this.membersPage(query.get('pageSize'), query.get('continuationToken')));
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && req.method === 'GET') {
      return reply(res, 200, { id: member[2], name: 'Local User', aadObjectId: '00000000-0000-0000-0000-000000000001' });
    }
    reply(res, 404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });
  }

  /** One page in the documented shape: `{ members, continuationToken }`, the token absent on the last page. */
  private membersPage(pageSize: string | null, token: string | null): { members: ConnectorMember[]; continuationToken?: string } {
    const asked = Number(pageSize) > 0 ? Number(pageSize) : 200;
    const size = Math.min(asked, this.membersPageSizeMax);
    const start = token && /^page-\d+$/.test(token) ? Number(token.slice(5)) : 0;
    const end = start + size;
    return { members: this.members.slice(start, end), ...(end < this.members.length ? { continuationToken: `page-${end}` } : {}) };
  }
}

type MembersFault = Pick<UpdateFault, 'status' | 'times' | 'retryAfterSeconds'>;

/** An injected refusal, with its Retry-After when the fault has one. */
function replyFault(res: http.ServerResponse, fault: MembersFault): void {
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
  reply(res, fault.status, { error: { code: fault.status === 429 ? 'Throttled' : 'ServiceError', message: 'injected fault' } }, headers);
}

function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
