import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { scopeOfFakeToken } from './fake-credential';
import { bearerTokenOf, readBody, sendJson, startFakeServer, type RunningServer } from './http-harness';
import { projectGetWatchlistRows } from './watchlist-rows';

/**
 * A local ARM endpoint for Microsoft Sentinel watchlists (Microsoft.SecurityInsights, api-version
 * 2025-09-01): watchlist GET/PUT/DELETE, item GET/PUT/DELETE, and the paged item collection with
 * `nextLink`. Resources have the documented shapes (id, name, type, etag, properties with
 * watchlistItemId, itemsKeyValue, created/updated, createdBy/updatedBy). Faults are scripted for
 * the next N requests. Not modelled: long-running-operation headers, rawContent bulk upload.
 */

export interface ArmIdentity {
  objectId: string;
  email: string;
  name: string;
}

export interface StoredWatchlist {
  alias: string;
  etag: string;
  properties: Record<string, unknown> & { itemsSearchKey: string; displayName: string; provider: string };
}

export interface StoredWatchlistItem {
  id: string;
  name: string;
  type: string;
  etag: string;
  properties: {
    watchlistItemId: string;
    watchlistItemType: string;
    tenantId: string;
    isDeleted: boolean;
    created: string;
    updated: string;
    createdBy: ArmIdentity;
    updatedBy: ArmIdentity;
    itemsKeyValue: Record<string, unknown>;
    entityMapping: Record<string, unknown>;
  };
}

export type ArmFault =
  | { status: 429; retryAfterSeconds?: number; retryAfterMs?: number }
  | { status: number; code?: string; message?: string }
  /** Accept the request and never answer (until the client gives up or the server closes). */
  | { hang: true };

export interface RecordedArmRequest {
  method: string;
  path: string;
  apiVersion?: string;
  skipToken?: string;
  authorized: boolean;
  tokenScope?: string;
  body?: unknown;
  /** The fault answered instead of the real operation, if any. */
  fault?: ArmFault;
}

export interface FakeWatchlistServerOptions {
  apiVersion?: string;
  /** Items per collection page; small values exercise nextLink paging. Default 100. */
  pageSize?: number;
  /** Who the service records as creator/updater: the bot's identity. */
  identity?: ArmIdentity;
  /** When set, tokens for another scope get 401 InvalidAuthenticationTokenAudience. */
  expectedScope?: string;
  tenantId?: string;
  /**
   * More Microsoft.SecurityInsights resources served on the same ARM origin (bookmarks, incidents: see
   * sentinel-resources.ts). Asked after authentication and api-version checks, for paths that are not watchlists.
   */
  routes?: ArmRoutes;
}

/** Serves requests of other resource types; resolves false when the path is not one of them. */
export interface ArmRoutes {
  handle(method: string, url: URL, body: unknown, res: http.ServerResponse, request: http.IncomingMessage): boolean;
}

const BASE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/watchlists\/([^/]+)(?:\/(watchlistItems)(?:\/([^/]+))?)?$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function armError(code: string, message: string): unknown {
  return { error: { code, message } };
}

export class FakeWatchlistServer {
  readonly requests: RecordedArmRequest[] = [];
  private readonly watchlists = new Map<string, StoredWatchlist>();
  private readonly itemsByAlias = new Map<string, Map<string, StoredWatchlistItem>>();
  private readonly faults: ArmFault[] = [];
  private readonly apiVersion: string;
  private readonly pageSize: number;
  private readonly identity: ArmIdentity;
  private readonly tenantId: string;

  private constructor(
    private readonly running: RunningServer,
    private readonly options: FakeWatchlistServerOptions,
  ) {
    this.apiVersion = options.apiVersion ?? '2025-09-01';
    this.pageSize = options.pageSize ?? 100;
    this.identity = options.identity ?? {
      objectId: '0b0b0b0b-1111-2222-3333-444444444444',
      email: '',
      name: 'huntbot-identity',
    };
    this.tenantId = options.tenantId ?? '72f988bf-0000-0000-0000-000000000000';
  }

  static start(options: FakeWatchlistServerOptions = {}): Promise<FakeWatchlistServer> {
    return startFakeServer(
      (running) => new FakeWatchlistServer(running, options),
      (fake) => (req, res) => fake.handle(req, res),
      (error) => armError('InternalServerError', String(error)),
    );
  }

  /** The value for ARM_ENDPOINT. */
  get endpoint(): string {
    return this.running.origin;
  }

  /** The next `times` requests get `fault` instead of being served. */
  failNext(fault: ArmFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  watchlist(alias: string): StoredWatchlist | undefined {
    return this.watchlists.get(alias.toLowerCase());
  }

  /** Stored items of a watchlist, in insertion order. */
  items(alias: string): StoredWatchlistItem[] {
    return [...(this.itemsByAlias.get(alias.toLowerCase())?.values() ?? [])];
  }

  /** Seeds a watchlist (and items) as if created in the portal. */
  seedWatchlist(alias: string, properties: Partial<StoredWatchlist['properties']> = {}, itemsKeyValues: Array<Record<string, unknown>> = []): void {
    this.putWatchlist(alias, { displayName: alias, provider: 'Microsoft', itemsSearchKey: 'SearchKey', source: 'Local file', ...properties });
    for (const kv of itemsKeyValues) this.putItem(alias, `/seed/${alias}`, randomUUID(), kv);
  }

  /** Deletes a watchlist and its items, as someone in the portal might. */
  dropWatchlist(alias: string): void {
    this.watchlists.delete(alias.toLowerCase());
    this.itemsByAlias.delete(alias.toLowerCase());
  }

  /** `_GetWatchlist(alias)` rows for every watchlist: feed to the embedded engine / fake Log Analytics. */
  watchlistSnapshot(): Record<string, Array<Record<string, unknown>>> {
    const snapshot: Record<string, Array<Record<string, unknown>>> = {};
    for (const watchlist of this.watchlists.values()) {
      snapshot[watchlist.alias] = projectGetWatchlistRows(watchlist, this.items(watchlist.alias));
    }
    return snapshot;
  }

  close(): Promise<void> {
    return this.running.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const token = bearerTokenOf(req);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      body = text;
    }
    const record: RecordedArmRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version') ?? undefined,
      skipToken: url.searchParams.get('$skipToken') ?? undefined,
      authorized: token !== undefined,
      tokenScope: token ? scopeOfFakeToken(token) : undefined,
      body,
    };
    this.requests.push(record);

    const fault = this.faults.shift();
    if (fault) {
      record.fault = fault;
      if ('hang' in fault) return; // never answer; close() tears the socket down
      const headers: Record<string, string> = {};
      if ('retryAfterSeconds' in fault && fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if ('retryAfterMs' in fault && fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      const code = 'code' in fault && fault.code ? fault.code : fault.status === 429 ? 'TooManyRequests' : 'InternalServerError';
      const message = 'message' in fault && fault.message ? fault.message : `Scripted fault ${fault.status}`;
      sendJson(res, fault.status, armError(code, message), headers);
      return;
    }

    if (!token) {
      sendJson(res, 401, armError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."));
      return;
    }
    if (this.options.expectedScope && record.tokenScope !== this.options.expectedScope) {
      sendJson(res, 401, armError('InvalidAuthenticationTokenAudience', 'The access token has been obtained for wrong audience or resource.'));
      return;
    }
    if (record.apiVersion !== this.apiVersion) {
      sendJson(
        res,
        400,
        armError('InvalidApiVersionParameter', `The api-version '${record.apiVersion ?? ''}' is invalid. Expected '${this.apiVersion}'.`),
      );
      return;
    }
    const match = BASE.exec(url.pathname);
    if (!match && this.options.routes?.handle(req.method ?? 'GET', url, body, res, req)) return;
    if (!match) {
      sendJson(res, 404, armError('NotFound', `No route for ${url.pathname}`));
      return;
    }
    const alias = decodeURIComponent(match[4] ?? '');
    const isItems = match[5] !== undefined;
    const itemId = match[6] !== undefined ? decodeURIComponent(match[6]) : undefined;
    const resourcePath = url.pathname;

    if (!isItems) this.serveWatchlist(req.method, alias, resourcePath, body, res);
    else if (itemId === undefined) this.serveItemCollection(req.method, alias, url, res);
    else this.serveItem(req.method, alias, itemId, resourcePath, body, res);
  }

  private serveWatchlist(method: string | undefined, alias: string, path: string, body: unknown, res: http.ServerResponse): void {
    const existing = this.watchlist(alias);
    if (method === 'GET') {
      if (!existing) sendJson(res, 404, armError('NotFound', `Watchlist ${alias} not found`));
      else sendJson(res, 200, this.watchlistResource(existing, path));
      return;
    }
    if (method === 'PUT') {
      const properties = (body as { properties?: Record<string, unknown> } | undefined)?.properties;
      const missing = ['displayName', 'provider', 'itemsSearchKey'].filter((k) => typeof properties?.[k] !== 'string' || properties[k] === '');
      if (!properties || missing.length > 0) {
        sendJson(res, 400, armError('BadRequest', `Watchlist properties missing: ${missing.join(', ') || 'properties'}`));
        return;
      }
      const stored = this.putWatchlist(alias, properties as StoredWatchlist['properties']);
      sendJson(res, existing ? 200 : 201, this.watchlistResource(stored, path));
      return;
    }
    if (method === 'DELETE') {
      this.dropWatchlist(alias);
      // Two statements, not writeHead(...).end(): restify (loaded by other tests in the same worker)
      // patches ServerResponse.writeHead so that it no longer returns the response.
      res.writeHead(existing ? 200 : 204);
      res.end();
      return;
    }
    sendJson(res, 405, armError('MethodNotAllowed', `${method ?? ''} is not supported`));
  }

  private serveItemCollection(method: string | undefined, alias: string, url: URL, res: http.ServerResponse): void {
    if (method !== 'GET') {
      sendJson(res, 405, armError('MethodNotAllowed', `${method ?? ''} is not supported`));
      return;
    }
    if (!this.watchlist(alias)) {
      sendJson(res, 404, armError('NotFound', `Watchlist ${alias} not found`));
      return;
    }
    const all = this.items(alias);
    const offset = Number(url.searchParams.get('$skipToken') ?? '0');
    const page = all.slice(offset, offset + this.pageSize);
    const next = offset + this.pageSize < all.length ? offset + this.pageSize : undefined;
    const nextLink =
      next === undefined
        ? undefined
        : `${this.endpoint}${url.pathname}?api-version=${encodeURIComponent(this.apiVersion)}&$skipToken=${next}`;
    sendJson(res, 200, nextLink ? { value: page, nextLink } : { value: page });
  }

  private serveItem(method: string | undefined, alias: string, itemId: string, path: string, body: unknown, res: http.ServerResponse): void {
    if (!GUID.test(itemId)) {
      sendJson(res, 400, armError('BadRequest', `watchlistItemId must be a GUID (got "${itemId}")`));
      return;
    }
    const watchlist = this.watchlist(alias);
    if (!watchlist) {
      sendJson(res, 404, armError('NotFound', `Watchlist ${alias} not found`));
      return;
    }
    const items = this.itemsByAlias.get(alias.toLowerCase());
    const existing = items?.get(itemId.toLowerCase());
    if (method === 'GET') {
      if (!existing) sendJson(res, 404, armError('NotFound', `Watchlist item ${itemId} not found`));
      else sendJson(res, 200, existing);
      return;
    }
    if (method === 'PUT') {
      const kv = (body as { properties?: { itemsKeyValue?: unknown } } | undefined)?.properties?.itemsKeyValue;
      if (typeof kv !== 'object' || kv === null || Array.isArray(kv)) {
        sendJson(res, 400, armError('BadRequest', 'properties.itemsKeyValue is required'));
        return;
      }
      const searchValue = (kv as Record<string, unknown>)[watchlist.properties.itemsSearchKey];
      if (typeof searchValue !== 'string' || searchValue === '') {
        sendJson(res, 400, armError('BadRequest', `The search key column '${watchlist.properties.itemsSearchKey}' must have a value`));
        return;
      }
      const stored = this.putItem(alias, path, itemId, kv as Record<string, unknown>);
      sendJson(res, existing ? 200 : 201, stored);
      return;
    }
    if (method === 'DELETE') {
      items?.delete(itemId.toLowerCase());
      res.writeHead(existing ? 200 : 204);
      res.end();
      return;
    }
    sendJson(res, 405, armError('MethodNotAllowed', `${method ?? ''} is not supported`));
  }

  private putWatchlist(alias: string, properties: StoredWatchlist['properties']): StoredWatchlist {
    const now = new Date().toISOString();
    const existing = this.watchlist(alias);
    const stored: StoredWatchlist = {
      alias,
      etag: `"${randomUUID()}"`,
      properties: {
        ...properties,
        watchlistId: (existing?.properties.watchlistId as string | undefined) ?? randomUUID(),
        watchlistAlias: alias,
        tenantId: this.tenantId,
        isDeleted: false,
        uploadStatus: 'Complete',
        created: (existing?.properties.created as string | undefined) ?? now,
        updated: now,
        createdBy: (existing?.properties.createdBy as ArmIdentity | undefined) ?? this.identity,
        updatedBy: this.identity,
      },
    };
    this.watchlists.set(alias.toLowerCase(), stored);
    if (!this.itemsByAlias.has(alias.toLowerCase())) this.itemsByAlias.set(alias.toLowerCase(), new Map());
    return stored;
  }

  private putItem(alias: string, path: string, itemId: string, itemsKeyValue: Record<string, unknown>): StoredWatchlistItem {
    const items = this.itemsByAlias.get(alias.toLowerCase()) ?? new Map<string, StoredWatchlistItem>();
    this.itemsByAlias.set(alias.toLowerCase(), items);
    const existing = items.get(itemId.toLowerCase());
    const now = new Date().toISOString();
    const stored: StoredWatchlistItem = {
      id: path,
      name: itemId,
      type: 'Microsoft.SecurityInsights/Watchlists/WatchlistItems',
      etag: `"${randomUUID()}"`,
      properties: {
        watchlistItemId: itemId,
        watchlistItemType: 'Custom',
        tenantId: this.tenantId,
        isDeleted: false,
        created: existing?.properties.created ?? now,
        updated: now,
        createdBy: existing?.properties.createdBy ?? this.identity,
        updatedBy: this.identity,
        itemsKeyValue: { ...itemsKeyValue },
        entityMapping: {},
      },
    };
    items.set(itemId.toLowerCase(), stored);
    return stored;
  }

  private watchlistResource(watchlist: StoredWatchlist, path: string): unknown {
    return {
      id: path,
      name: watchlist.alias,
      type: 'Microsoft.SecurityInsights/Watchlists',
      etag: watchlist.etag,
      properties: watchlist.properties,
    };
  }
}
