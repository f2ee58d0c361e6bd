import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { sendJson } from './http-harness';
import type { ArmFault, ArmIdentity, ArmRoutes } from './watchlist-server';

/**
 * Microsoft.SecurityInsights bookmarks and incidents (api-version 2025-09-01), served next to the watchlists on
 * the same fake ARM origin (FakeWatchlistServer's `routes`): bookmark GET/PUT/DELETE and the paged collection;
 * the incident collection with OData `$filter` (incidentNumber eq, createdTimeUtc ge, status eq/ne, joined by
 * `and`), `$orderby` on createdTimeUtc, `$top` and `nextLink` paging; incident GET; POST incident entities;
 * incident relations and comments GET/PUT. Shapes follow the 2025-09-01 examples (CreateBookmark,
 * GetIncidentRelationByName, CreateIncidentComment, GetAllIncidentEntities). `If-Match` with a stale etag gets 412.
 * Not documented, so chosen here: a relation to a bookmark that does not exist is refused with 400.
 * Faults are scripted per operation ("PUT bookmark", "GET incidents", "PUT relation", "PUT comment", …).
 */

export interface SeedIncident {
  number: number;
  title: string;
  status?: 'New' | 'Active' | 'Closed';
  createdTimeUtc?: string;
  /** Host entities of the incident, by host name (e.g. "fin-ws-001"). */
  hosts?: string[];
}

interface StoredResource {
  id: string;
  name: string;
  type: string;
  etag: string;
  properties: Record<string, unknown>;
}

interface StoredIncident extends StoredResource {
  hosts: string[];
  relations: Map<string, StoredResource>;
  comments: Map<string, StoredResource>;
}

export type SentinelOperation =
  | 'GET bookmark'
  | 'PUT bookmark'
  | 'GET bookmarks'
  | 'GET incidents'
  | 'POST entities'
  | 'GET relation'
  | 'PUT relation'
  | 'PUT comment';

const BASE =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+\/providers\/Microsoft\.SecurityInsights)\/(bookmarks|incidents)(?:\/([^/]+)(?:\/(entities|relations|comments)(?:\/([^/]+))?)?)?$/i;

function armError(code: string, message: string): unknown {
  return { error: { code, message } };
}

export class FakeSentinelResources implements ArmRoutes {
  readonly bookmarks = new Map<string, StoredResource>();
  readonly incidents = new Map<string, StoredIncident>();
  /** Every request served here, in order, with its operation. */
  readonly served: Array<{ operation: string; method: string; path: string; query: string; body?: unknown; status: number }> = [];
  private readonly faults: Array<{ operation: SentinelOperation; fault: ArmFault }> = [];
  private readonly pageSize: number;
  private readonly identity: ArmIdentity;

  constructor(
    private readonly origin: () => string,
    options: { pageSize?: number; identity?: ArmIdentity } = {},
  ) {
    this.pageSize = options.pageSize ?? 50;
    this.identity = options.identity ?? { objectId: '0b0b0b0b-1111-2222-3333-444444444444', email: '', name: 'huntbot-identity' };
  }

  /** The next `times` requests of `operation` get `fault` instead of being served. */
  failNext(operation: SentinelOperation, fault: ArmFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ operation, fault });
  }

  /** Seeds an incident (as if an analytics rule had created it); returns its ARM name (a GUID). */
  seedIncident(workspacePath: string, incident: SeedIncident): string {
    const name = randomUUID();
    const created = incident.createdTimeUtc ?? new Date().toISOString();
    this.incidents.set(name.toLowerCase(), {
      id: `${workspacePath}/providers/Microsoft.SecurityInsights/incidents/${name}`,
      name,
      type: 'Microsoft.SecurityInsights/Incidents',
      etag: `"${randomUUID()}"`,
      properties: {
        title: incident.title,
        severity: 'Medium',
        status: incident.status ?? 'New',
        incidentNumber: incident.number,
        createdTimeUtc: created,
        lastModifiedTimeUtc: created,
        incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${workspacePath}/providers/Microsoft.SecurityInsights/incidents/${name}`,
        labels: [],
        additionalData: { alertsCount: 1, bookmarksCount: 0, commentsCount: 0, alertProductNames: [], tactics: [] },
        relatedAnalyticRuleIds: [],
      },
      hosts: incident.hosts ?? [],
      relations: new Map(),
      comments: new Map(),
    });
    return name;
  }

  handle(method: string, url: URL, body: unknown, res: http.ServerResponse, req: http.IncomingMessage): boolean {
    const match = BASE.exec(url.pathname);
    if (!match) return false;
    const [, , collection, id, sub, subId] = match;
    const operation = operationOf(method, collection!.toLowerCase(), id, sub?.toLowerCase(), subId);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.served.push({ operation, method, path: url.pathname, query: url.search, body, status });
      sendJson(res, status, payload, headers);
    };
    const index = this.faults.findIndex((f) => f.operation === operation);
    if (index >= 0) {
      const [{ fault }] = this.faults.splice(index, 1);
      if ('hang' in fault) return true;
      const headers: Record<string, string> = {};
      if ('retryAfterSeconds' in fault && fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if ('retryAfterMs' in fault && fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      const code = 'code' in fault && fault.code ? fault.code : fault.status === 429 ? 'TooManyRequests' : fault.status === 409 ? 'Conflict' : fault.status === 412 ? 'PreconditionFailed' : 'InternalServerError';
      send(fault.status, armError(code, 'message' in fault && fault.message ? fault.message : `Scripted fault ${fault.status}`), headers);
      return true;
    }
    const ifMatch = req.headers['if-match'];
    if (collection!.toLowerCase() === 'bookmarks') this.serveBookmarks(method, url, id, body, typeof ifMatch === 'string' ? ifMatch : undefined, send);
    else this.serveIncidents(method, url, id, sub?.toLowerCase(), subId, body, send);
    return true;
  }

  private serveBookmarks(method: string, url: URL, id: string | undefined, body: unknown, ifMatch: string | undefined, send: Send): void {
    if (id === undefined) {
      if (method !== 'GET') return send(405, armError('MethodNotAllowed', `${method} is not supported`));
      return send(200, this.page([...this.bookmarks.values()], url));
    }
    const existing = this.bookmarks.get(id.toLowerCase());
    if (method === 'GET') return existing ? send(200, existing) : send(404, armError('NotFound', `Bookmark ${id} not found`));
    if (method === 'DELETE') {
      this.bookmarks.delete(id.toLowerCase());
      return send(existing ? 200 : 204, undefined);
    }
    if (method !== 'PUT') return send(405, armError('MethodNotAllowed', `${method} is not supported`));
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== existing?.etag) return send(412, armError('PreconditionFailed', 'The etag does not match'));
    const properties = (body as { properties?: Record<string, unknown> } | undefined)?.properties;
    const missing = ['displayName', 'query'].filter((k) => typeof properties?.[k] !== 'string' || properties[k] === '');
    if (!properties || missing.length > 0) return send(400, armError('BadRequest', `Bookmark properties missing: ${missing.join(', ') || 'properties'}`));
    const now = new Date().toISOString();
    const stored: StoredResource = {
      id: url.pathname,
      name: id,
      type: 'Microsoft.SecurityInsights/bookmarks',
      etag: `"${randomUUID()}"`,
      properties: {
        ...properties,
        created: (existing?.properties.created as string | undefined) ?? now,
        updated: now,
        createdBy: (existing?.properties.createdBy as ArmIdentity | undefined) ?? this.identity,
        updatedBy: this.identity,
      },
    };
    this.bookmarks.set(id.toLowerCase(), stored);
    send(existing ? 200 : 201, stored);
  }

  private serveIncidents(method: string, url: URL, id: string | undefined, sub: string | undefined, subId: string | undefined, body: unknown, send: Send): void {
    if (id === undefined) {
      if (method !== 'GET') return send(405, armError('MethodNotAllowed', `${method} is not supported`));
      const listed = this.listIncidents(url);
      if ('error' in listed) return send(400, armError('BadRequest', listed.error));
      return send(200, this.page(listed.items, url));
    }
    const incident = this.incidents.get(id.toLowerCase());
    if (!incident) return send(404, armError('NotFound', `Incident ${id} not found`));
    if (sub === undefined) return method === 'GET' ? send(200, publicIncident(incident)) : send(405, armError('MethodNotAllowed', `${method} is not supported`));
    if (sub === 'entities') {
      if (method !== 'POST') return send(405, armError('MethodNotAllowed', `${method} is not supported`));
      const entities = incident.hosts.map((host) => ({
        id: `${incident.id.replace(/\/incidents\/.*$/, '')}/Entities/${randomUUID()}`,
        name: randomUUID(),
        type: 'Microsoft.SecurityInsights/Entities',
        kind: 'Host',
        properties: { hostName: host, friendlyName: host },
      }));
      return send(200, { entities, metaData: entities.length > 0 ? [{ entityKind: 'Host', count: entities.length }] : [] });
    }
    const children = sub === 'relations' ? incident.relations : incident.comments;
    if (subId === undefined) return method === 'GET' ? send(200, this.page([...children.values()], url)) : send(405, armError('MethodNotAllowed', `${method} is not supported`));
    const existing = children.get(subId.toLowerCase());
    if (method === 'GET') return existing ? send(200, existing) : send(404, armError('NotFound', `${sub} ${subId} not found`));
    if (method !== 'PUT') return send(405, armError('MethodNotAllowed', `${method} is not supported`));
    const properties = (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
    const now = new Date().toISOString();
    let stored: StoredResource;
    if (sub === 'relations') {
      const related = typeof properties.relatedResourceId === 'string' ? properties.relatedResourceId : '';
      const bookmarkName = /\/providers\/Microsoft\.SecurityInsights\/bookmarks\/([^/]+)$/i.exec(related)?.[1];
      if (!bookmarkName || !this.bookmarks.has(bookmarkName.toLowerCase())) return send(400, armError('BadRequest', `Related resource ${related || '(none)'} was not found`));
      stored = {
        id: url.pathname,
        name: subId,
        type: 'Microsoft.SecurityInsights/incidents/relations',
        etag: `"${randomUUID()}"`,
        properties: { relatedResourceId: related, relatedResourceName: bookmarkName, relatedResourceType: 'Microsoft.SecurityInsights/bookmarks' },
      };
    } else {
      if (typeof properties.message !== 'string' || properties.message === '') return send(400, armError('BadRequest', 'properties.message is required'));
      stored = {
        id: url.pathname,
        name: subId,
        type: 'Microsoft.SecurityInsights/incidents/comments',
        etag: `"${randomUUID()}"`,
        properties: {
          message: properties.message,
          createdTimeUtc: (existing?.properties.createdTimeUtc as string | undefined) ?? now,
          lastModifiedTimeUtc: now,
          author: { objectId: this.identity.objectId, name: this.identity.name, email: this.identity.email, userPrincipalName: '' },
        },
      };
    }
    children.set(subId.toLowerCase(), stored);
    const additional = incident.properties.additionalData as Record<string, number>;
    additional.bookmarksCount = incident.relations.size;
    additional.commentsCount = incident.comments.size;
    send(existing ? 200 : 201, stored);
  }

  private listIncidents(url: URL): { items: unknown[] } | { error: string } {
    let items = [...this.incidents.values()];
    const filter = url.searchParams.get('$filter');
    if (filter) {
      for (const clause of filter.split(/\s+and\s+/i)) {
        const m = /^properties\/(\w+)\s+(eq|ne|ge|le|gt|lt)\s+(.+)$/i.exec(clause.trim());
        if (!m) return { error: `Invalid $filter clause: ${clause}` };
        const [, field, op, raw] = m as unknown as [string, string, string, string];
        const value = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : /^\d+$/.test(raw) ? Number(raw) : raw;
        if (!['incidentNumber', 'createdTimeUtc', 'status', 'severity'].includes(field)) return { error: `Filtering on ${field} is not supported here` };
        items = items.filter((i) => compare(i.properties[field], op.toLowerCase(), value));
      }
    }
    const orderBy = url.searchParams.get('$orderby');
    if (orderBy) {
      const m = /^properties\/createdTimeUtc(?:\s+(asc|desc))?$/i.exec(orderBy.trim());
      if (!m) return { error: `Invalid $orderby: ${orderBy}` };
      const dir = m[1]?.toLowerCase() === 'desc' ? -1 : 1;
      items.sort((a, b) => dir * String(a.properties.createdTimeUtc).localeCompare(String(b.properties.createdTimeUtc)));
    }
    const top = url.searchParams.get('$top');
    if (top !== null) {
      const n = Number(top);
      if (!Number.isInteger(n) || n < 1 || n > 1000) return { error: `$top must be 1..1000` };
      items = items.slice(0, n);
    }
    return { items: items.map(publicIncident) };
  }

  private page(all: unknown[], url: URL): unknown {
    const offset = Number(url.searchParams.get('$skipToken') ?? '0');
    const page = all.slice(offset, offset + this.pageSize);
    if (offset + this.pageSize >= all.length) return { value: page };
    const next = new URL(url.pathname, this.origin());
    for (const [k, v] of url.searchParams) if (k !== '$skipToken' && k !== '$top') next.searchParams.set(k, v);
    next.searchParams.set('$skipToken', String(offset + this.pageSize));
    return { value: page, nextLink: next.toString() };
  }
}

type Send = (status: number, payload: unknown, headers?: Record<string, string>) => void;

function operationOf(method: string, collection: string, id: string | undefined, sub: string | undefined, subId: string | undefined): string {
  if (collection === 'bookmarks') return id === undefined ? `${method} bookmarks` : `${method} bookmark`;
  if (id === undefined) return `${method} incidents`;
  if (sub === undefined) return `${method} incident`;
  if (sub === 'entities') return `${method} entities`;
  const kind = sub === 'relations' ? 'relation' : 'comment';
  return subId === undefined ? `${method} ${kind}s` : `${method} ${kind}`;
}

function compare(actual: unknown, op: string, expected: unknown): boolean {
  const a = typeof actual === 'number' || typeof expected === 'number' ? Number(actual) : String(actual);
  const e = typeof expected === 'number' ? expected : String(expected);
  switch (op) {
    case 'eq': return a === e;
    case 'ne': return a !== e;
    case 'ge': return a >= e;
    case 'le': return a <= e;
    case 'gt': return a > e;
    default: return a < e;
  }
}

function publicIncident(incident: StoredIncident): StoredResource {
  return { id: incident.id, name: incident.name, type: incident.type, etag: incident.etag, properties: incident.properties };
}
