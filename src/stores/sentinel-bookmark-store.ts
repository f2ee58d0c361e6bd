import type { TokenCredential } from '@azure/identity';
import { ArmClient, ArmRequestError } from '../azure/arm-client';
import type { ServiceEndpoint } from '../azure/cloud';
import type { RetryOptions } from '../azure/retry';
import type { HuntBookmark, IncidentSummary } from '../domain/bookmark';
import type { IncidentLink } from '../domain/hunt-run';
import { uuidV5 } from '../util/uuid-v5';
import { errorMessage } from '../util/error-message';
import { EscalationError, type BookmarkStore, type CreatedBookmark, type IncidentAddition } from './bookmark-store';
import type { AuditEntry } from './exclusion-store';
import type { SqliteAuditLog } from './sqlite-audit-log';
import { openLocalAuditLog, securityInsightsPath, sentinelArmClient, type StoreLogger } from './sentinel-workspace';
import { BOOKMARK_LABEL, bookmarkFromResource, bookmarkRequestBody, type BookmarkResource } from './sentinel-bookmark-shape';

/** Bookmarks, incidents, relations and comments share the watchlists' api-version (stable 2025-09-01). */
export const SENTINEL_API_VERSION = '2025-09-01';

/** Fixed namespace for the ids of incident relations and comments the bot writes. Never change it. */
const RELATION_NAMESPACE = 'c0b3c7a2-4f4e-5a51-9d0e-6b1f1d0b7a11';

export interface SentinelBookmarkStoreOptions {
  arm: ServiceEndpoint;
  credential: TokenCredential;
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** Builds the portal link of a bookmark from its ARM id. */
  portalUrlOf(bookmarkResourceId: string): string;
  logger: StoreLogger;
  /** The local copy of the audit trail (the structured log line is the primary record). */
  auditPath?: string;
  retry?: Partial<RetryOptions>;
  requestTimeoutMs?: number;
  /** How long listing the incidents to offer may take in all (a button press waits for it). Default 8 s. */
  offerDeadlineMs?: number;
}

/** The incident form checks at most this many incidents (the newest; one page), their entities a few at a time. */
const OFFERED_INCIDENTS_MAX = 20;
const ENTITY_CALLS_AT_ONCE = 4;
const OFFER_DEADLINE_MS = 8_000;

interface IncidentResource {
  name?: string;
  properties?: { incidentNumber?: number; title?: string; status?: string; createdTimeUtc?: string; incidentUrl?: string };
}

/**
 * Hunting bookmarks in Microsoft Sentinel over ARM REST (Microsoft.SecurityInsights, same credential and
 * cloud endpoints as the watchlist). Every write is a PUT to an id derived from what it records, so a repeated
 * press or a retry lands on the same resource: one bookmark per run and device, one relation and one comment
 * per bookmark and incident.
 */
export class SentinelBookmarkStore implements BookmarkStore {
  readonly name = 'sentinel';
  private readonly arm: ArmClient;
  private readonly base: string;
  private readonly auditLog?: SqliteAuditLog;
  private readonly closeAuditDb?: () => void;

  constructor(private readonly options: SentinelBookmarkStoreOptions) {
    this.arm = sentinelArmClient(options, SENTINEL_API_VERSION, 'Sentinel');
    this.base = securityInsightsPath(options);
    ({ log: this.auditLog, close: this.closeAuditDb } = openLocalAuditLog(options.auditPath));
  }

  async create(bookmark: HuntBookmark, audit: AuditEntry): Promise<CreatedBookmark> {
    const path = this.bookmarkPath(bookmark.bookmarkId);
    try {
      const existing = await this.get(bookmark.bookmarkId);
      if (existing) {
        this.record({ ...audit, outcome: 'already bookmarked (HTTP 200)' });
        return { bookmark: existing, created: false };
      }
      let response;
      try {
        response = await this.arm.send('PUT', path, { body: bookmarkRequestBody(bookmark) });
      } catch (error) {
        // 409/412: someone else's write of the same bookmark got there first. If it is there now, it is this one.
        if (error instanceof ArmRequestError && (error.statusCode === 409 || error.statusCode === 412)) {
          const winner = await this.get(bookmark.bookmarkId);
          if (winner) {
            this.record({ ...audit, outcome: `already bookmarked (HTTP ${error.statusCode}, then found)` });
            return { bookmark: winner, created: false };
          }
        }
        throw error;
      }
      const stored = bookmarkFromResource(response.body as BookmarkResource, bookmark, this.options.portalUrlOf);
      this.record({ ...audit, outcome: `created (HTTP ${response.status})` });
      return { bookmark: stored, created: true };
    } catch (error) {
      const failure = this.explain(error, 'The bookmark was NOT created');
      this.record({ ...audit, outcome: `failed: ${errorMessage(error)}`.slice(0, 600) });
      throw failure;
    }
  }

  async get(bookmarkId: string): Promise<HuntBookmark | undefined> {
    const response = await this.arm.send('GET', this.bookmarkPath(bookmarkId), { accept: [404] });
    if (response.status === 404) return undefined;
    return bookmarkFromResource(response.body as BookmarkResource, undefined, this.options.portalUrlOf);
  }

  async list(): Promise<HuntBookmark[]> {
    try {
      const { items } = await this.arm.listAll(`${this.base}/bookmarks`);
      return (items as BookmarkResource[])
        .filter((item) => item.properties?.labels?.includes(BOOKMARK_LABEL))
        .map((item) => bookmarkFromResource(item, undefined, this.options.portalUrlOf))
        .sort((a, b) => b.createdAtUtc.localeCompare(a.createdAtUtc));
    } catch (error) {
      throw this.explain(error, 'Could not list the bookmarks');
    }
  }

  async addToIncident(bookmark: HuntBookmark, incidentNumber: number, comment: string, audit: AuditEntry): Promise<IncidentAddition> {
    let incident: IncidentLink;
    let newlyRelated: boolean;
    try {
      incident = await this.incidentByNumber(incidentNumber);
      newlyRelated = await this.relate(bookmark, incident);
    } catch (error) {
      this.record({ ...audit, outcome: `failed: ${errorMessage(error)}`.slice(0, 600) });
      throw this.explain(error, `The bookmark was NOT added to incident #${incidentNumber}`);
    }
    // The relation landed; a comment that fails is said, and a retry writes the same comment id.
    const commentPath = `${this.incidentPath(incident.incidentId)}/comments/${uuidV5(RELATION_NAMESPACE, `comment|${bookmark.bookmarkId}|${incident.incidentId}`)}`;
    try {
      await this.arm.send('PUT', commentPath, { body: { properties: { message: comment } } });
    } catch (error) {
      const problem = this.explain(error, 'The comment was not added').message;
      this.record({ ...audit, outcome: `related to incident #${incidentNumber}; comment failed: ${errorMessage(error)}`.slice(0, 600) });
      return { incident, newlyRelated, commentProblem: problem };
    }
    this.record({ ...audit, outcome: `${newlyRelated ? 'related' : 'already related'} to incident #${incidentNumber}, comment added` });
    return { incident, newlyRelated };
  }

  /**
   * Bounded for a button press: one page of at most OFFERED_INCIDENTS_MAX newest incidents, their entities
   * fetched ENTITY_CALLS_AT_ONCE at a time, all within the offer deadline. `cut` says what was not checked.
   */
  async openIncidentsWithHost(hostName: string, since: Date): Promise<{ incidents: IncidentSummary[]; cut?: string }> {
    const filter = `properties/createdTimeUtc ge ${since.toISOString()} and properties/status ne 'Closed'`;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.offerDeadlineMs ?? OFFER_DEADLINE_MS);
    try {
      const response = await this.arm.send(
        'GET',
        `${this.base}/incidents?$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent('properties/createdTimeUtc desc')}&$top=${OFFERED_INCIDENTS_MAX}`,
        { signal: deadline.signal },
      );
      const body = response.body as { value?: unknown[]; nextLink?: unknown } | undefined;
      const morePages = typeof body?.nextLink === 'string' && body.nextLink !== '';
      const incidents = ((body?.value ?? []) as IncidentResource[]).slice(0, OFFERED_INCIDENTS_MAX).map((item) => summaryOf(item)).filter((i): i is IncidentSummary => i !== undefined);
      const wanted = shortHost(hostName);
      const withHost = new Set<IncidentSummary>();
      let unchecked = 0;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < incidents.length) {
          const incident = incidents[next++]!;
          if (deadline.signal.aborted) {
            unchecked++;
            continue;
          }
          try {
            const answer = await this.arm.send('POST', `${this.incidentPath(incident.incidentId)}/entities`, { signal: deadline.signal });
            const entities = ((answer.body as { entities?: Array<{ kind?: string; properties?: Record<string, unknown> }> } | undefined)?.entities ?? []);
            const hasHost = entities.some(
              (e) => e.kind === 'Host' && [e.properties?.hostName, e.properties?.friendlyName].some((v) => typeof v === 'string' && shortHost(v) === wanted),
            );
            if (hasHost) withHost.add(incident);
          } catch (error) {
            if (!deadline.signal.aborted) throw error;
            unchecked++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(ENTITY_CALLS_AT_ONCE, incidents.length) }, worker));
      const cuts = [
        ...(morePages ? [incidents.length === 1 ? 'only the newest open incident of the week was checked for this device' : `only the ${incidents.length} newest open incidents of the week were checked for this device`] : []),
        ...(unchecked > 0 ? [`${unchecked} of them could not be checked in time`] : []),
      ];
      return {
        incidents: incidents.filter((i) => withHost.has(i)),
        ...(cuts.length > 0 ? { cut: `The list below may be incomplete: ${cuts.join('; ')}. Type the incident number if yours is missing.` } : {}),
      };
    } catch (error) {
      throw this.explain(error, 'Could not list the open incidents');
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closeAuditDb?.();
  }

  private async incidentByNumber(incidentNumber: number): Promise<IncidentLink> {
    const filter = `properties/incidentNumber eq ${incidentNumber}`;
    const { items } = await this.arm.listAll(`${this.base}/incidents?$filter=${encodeURIComponent(filter)}`);
    const found = (items as IncidentResource[]).map((item) => summaryOf(item)).find((i) => i?.number === incidentNumber);
    if (!found) throw new EscalationError('not-found', `There is no incident #${incidentNumber} in workspace ${this.options.workspaceName}. Check the number in the portal.`);
    return { number: found.number, incidentId: found.incidentId, title: found.title, url: found.url };
  }

  /** PUTs the relation (idempotent id); resolves false when it was already there. */
  private async relate(bookmark: HuntBookmark, incident: IncidentLink): Promise<boolean> {
    const path = `${this.incidentPath(incident.incidentId)}/relations/${uuidV5(RELATION_NAMESPACE, `relation|${bookmark.bookmarkId}|${incident.incidentId}`)}`;
    const existing = await this.arm.send('GET', path, { accept: [404] });
    if (existing.status !== 404) return false;
    try {
      await this.arm.send('PUT', path, { body: { properties: { relatedResourceId: this.bookmarkPath(bookmark.bookmarkId) } } });
      return true;
    } catch (error) {
      if (error instanceof ArmRequestError && (error.statusCode === 409 || error.statusCode === 412)) {
        const now = await this.arm.send('GET', path, { accept: [404] });
        if (now.status !== 404) return false;
      }
      throw error;
    }
  }

  private bookmarkPath(bookmarkId: string): string {
    return `${this.base}/bookmarks/${encodeURIComponent(bookmarkId)}`;
  }

  private incidentPath(incidentId: string): string {
    return `${this.base}/incidents/${encodeURIComponent(incidentId)}`;
  }

  private record(entry: AuditEntry): void {
    this.options.logger.info({ audit: entry, store: 'sentinel' }, `escalation audit: ${entry.action}`);
    try {
      this.auditLog?.append(entry);
    } catch (error) {
      this.options.logger.error({ audit: entry, err: error }, 'could not append to the local audit copy; the log line above is the record');
    }
  }

  /** What a responder is told: what did not happen, why, and what to do. */
  private explain(error: unknown, what: string): EscalationError {
    if (error instanceof EscalationError) return error;
    if (!(error instanceof ArmRequestError)) return new EscalationError('unavailable', `${what}: ${errorMessage(error)}`, undefined, { cause: error });
    const status = error.statusCode;
    if (status === 403 || status === 401) {
      return new EscalationError(
        'forbidden',
        `${what}: Sentinel refused the bot's identity (HTTP ${status} ${error.code}). Grant it Microsoft Sentinel Responder (or Contributor) on workspace ${this.options.workspaceName}.`,
        undefined,
        { cause: error },
      );
    }
    if (status === 429) {
      const wait = error.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : ' Try again in a minute.';
      return new EscalationError('throttled', `${what}: Sentinel is throttling requests (HTTP 429).${wait}`, error.retryAfterMs, { cause: error });
    }
    if (status === 409 || status === 412) {
      return new EscalationError('conflict', `${what}: someone changed it at the same moment (HTTP ${status}). Press the button again.`, undefined, { cause: error });
    }
    if (status === 404) return new EscalationError('not-found', `${what}: Sentinel answered 404 (${error.code}). Check that workspace ${this.options.workspaceName} has Microsoft Sentinel enabled.`, undefined, { cause: error });
    if (error.transient) return new EscalationError('unavailable', `${what}: Sentinel is not answering properly (${status === undefined ? error.code : `HTTP ${status}`}). Try again in a moment.`, error.retryAfterMs, { cause: error });
    return new EscalationError('rejected', `${what}: ${error.message}`, undefined, { cause: error });
  }
}

function summaryOf(item: IncidentResource): IncidentSummary | undefined {
  const p = item.properties;
  if (!item.name || typeof p?.incidentNumber !== 'number') return undefined;
  return {
    number: p.incidentNumber,
    incidentId: item.name,
    title: p.title ?? '',
    status: p.status ?? '',
    createdTimeUtc: p.createdTimeUtc ?? '',
    url: p.incidentUrl ?? '',
  };
}

/** "fin-ws-001.contoso.local" → "fin-ws-001": how Sentinel's Host entity names a host. */
export function shortHost(name: string): string {
  return name.trim().toLowerCase().split('.')[0] ?? '';
}
