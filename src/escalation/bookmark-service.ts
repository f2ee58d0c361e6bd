import type { HuntBookmark, IncidentSummary } from '../domain/bookmark';
import type { DeviceHit, HitBookmark, HuntRun, IncidentLink } from '../domain/hunt-run';
import type { Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import type { RunRegistry } from '../runs/run-registry';
import { EscalationError, type BookmarkStore } from '../stores/bookmark-store';
import { searchKeyOf, type AuditEntry } from '../stores/exclusion-store';
import { cleanName } from '../text/display-text';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { bookmarkOf, cleanNote, NOTE_MAX, unbookmarkableReason } from './bookmark-content';

export type EscalationOutcome =
  /** The store has the bookmark (`created`: this press made it). `problems`: what could not be brought in line. */
  | { kind: 'bookmarked'; run: HuntRun; hit: DeviceHit; created: boolean; problems: string[] }
  /** `commented`: the incident comment landed too (a failed comment is one of `problems`). */
  | { kind: 'added'; run: HuntRun; hit: DeviceHit; incident: IncidentLink; newlyRelated: boolean; commented: boolean; problems: string[] }
  | { kind: 'invalid'; errors: string[] }
  | { kind: 'failed'; message: string };

/** Incidents are offered from this far back. */
export const OFFERED_INCIDENTS_DAYS = 7;

/**
 * Escalates hits of an admitted run into Sentinel (or the local store): a hunting bookmark per run and
 * device, and that bookmark added to an incident with a comment. The run and device come from the run kept
 * server-side and the actor from the authenticated activity; card data only names them. The stored run
 * remembers the bookmark so every card of the run shows it.
 */
export class BookmarkService {
  constructor(
    private readonly store: BookmarkStore,
    private readonly runs: RunRegistry,
    private readonly logger: Logger,
    private readonly techniquesOf: (huntId: string) => readonly string[],
    private readonly now: () => Date = () => new Date(),
  ) {}

  get storeName(): BookmarkStore['name'] {
    return this.store.name;
  }

  async bookmark(found: { run: HuntRun; hit: DeviceHit }, noteInput: unknown, actor: Requester): Promise<EscalationOutcome> {
    const note = cleanNote(noteInput);
    if (note.tooLong) return { kind: 'invalid', errors: [`The note is too long (limit ${NOTE_MAX} characters).`] };
    const made = await this.ensureBookmark(found, note.text, actor);
    if ('message' in made) return { kind: 'failed', message: made.message };
    const stored = await this.remember(found.run, found.hit.deviceId, hitBookmarkOf(made.bookmark));
    return { kind: 'bookmarked', run: stored.run, hit: stored.hit ?? found.hit, created: made.created, problems: stored.problems };
  }

  async addToIncident(found: { run: HuntRun; hit: DeviceHit }, numberInput: unknown, actor: Requester): Promise<EscalationOutcome> {
    const incidentNumber = parseIncidentNumber(numberInput);
    if (incidentNumber === undefined) return { kind: 'invalid', errors: ['Type the incident number (digits only, e.g. 1234), or pick one of the incidents offered.'] };
    const made = await this.ensureBookmark(found, '', actor);
    if ('message' in made) return { kind: 'failed', message: made.message };
    const bookmark = made.bookmark;
    let addition;
    try {
      addition = await this.store.addToIncident(bookmark, incidentNumber, this.comment(found.run, found.hit, bookmark, actor), this.entry('incident', found, actor, `incident #${incidentNumber}: bookmark ${bookmark.bookmarkId}`));
    } catch (error) {
      return { kind: 'failed', message: this.failure('add-to-incident-failed', error, found.run.runId) };
    }
    const known = found.hit.bookmark ?? hitBookmarkOf(bookmark);
    const incidents = [...(known.incidents ?? []).filter((i) => i.number !== addition.incident.number), addition.incident];
    const stored = await this.remember(found.run, found.hit.deviceId, { ...hitBookmarkOf(bookmark), incidents });
    const problems = [...stored.problems, ...(addition.commentProblem ? [addition.commentProblem] : [])];
    return { kind: 'added', run: stored.run, hit: stored.hit ?? found.hit, incident: addition.incident, newlyRelated: addition.newlyRelated, commented: !addition.commentProblem, problems };
  }

  /**
   * Open incidents of the last week with the device among their entities; [] when none, the store has no
   * incidents, or the run's rows are not hosts (an account's name matched against host names would mislead).
   */
  async offeredIncidents(hit: DeviceHit, run?: Pick<HuntRun, 'entityType'>): Promise<{ incidents: IncidentSummary[]; problem?: string }> {
    if (!this.store.openIncidentsWithHost) return { incidents: [] };
    if (run?.entityType !== undefined && run.entityType !== 'Host') return { incidents: [] };
    try {
      const since = new Date(this.now().getTime() - OFFERED_INCIDENTS_DAYS * 86_400_000);
      const offered = await this.store.openIncidentsWithHost(cleanName(hit.deviceName) || hit.deviceId, since);
      return { incidents: offered.incidents, ...(offered.cut ? { problem: offered.cut } : {}) };
    } catch (error) {
      this.logger.warn({ event: 'incident-list-failed', err: error }, 'could not list open incidents for the form');
      return { incidents: [], problem: error instanceof EscalationError ? error.message : `Could not list the open incidents: ${userErrorText(error)}` };
    }
  }

  async list(): Promise<HuntBookmark[]> {
    return this.store.list();
  }

  /** Creates the hit's bookmark unless it exists (same id for the same run and device). */
  private async ensureBookmark(found: { run: HuntRun; hit: DeviceHit }, note: string, actor: Requester): Promise<{ bookmark: HuntBookmark; created: boolean } | { message: string }> {
    const refusal = unbookmarkableReason(found.run);
    if (refusal) return { message: refusal };
    const bookmark = bookmarkOf(found.run, found.hit, note, actor, this.now(), this.techniquesOf);
    try {
      const result = await this.store.create(bookmark, this.entry('bookmark', found, actor, `bookmark ${bookmark.bookmarkId}${note ? `: ${note}` : ''}`.slice(0, 600)));
      this.logger.info({ event: 'bookmark', runId: found.run.runId, bookmarkId: bookmark.bookmarkId, created: result.created, store: this.store.name }, 'bookmark');
      return result;
    } catch (error) {
      return { message: this.failure('bookmark-failed', error, found.run.runId) };
    }
  }

  /** Stores the bookmark on the run's hit; a failure here never undoes the bookmark, it is only reported. */
  private async remember(run: HuntRun, deviceId: string, bookmark: HitBookmark): Promise<{ run: HuntRun; hit?: DeviceHit; problems: string[] }> {
    const apply = (r: HuntRun): HuntRun => withHitBookmark(r, deviceId, bookmark);
    let updated: HuntRun | undefined;
    const problems: string[] = [];
    try {
      updated = await this.runs.update(run.runId, apply);
    } catch (error) {
      this.logger.warn({ event: 'bookmark-run-state-failed', runId: run.runId, err: error }, 'could not store the bookmark on the run');
      problems.push('The stored result could not be updated: paging this card may not show the bookmark until the hunt runs again.');
    }
    const current = updated ?? apply(run);
    return { run: current, hit: [...current.hits, ...current.hidden].find((h) => h.deviceId === deviceId), problems };
  }

  private comment(run: HuntRun, hit: DeviceHit, bookmark: HuntBookmark, actor: Requester): string {
    const who = cleanName(actor.name) || 'A responder';
    const link = bookmark.url ? ` Bookmark: ${bookmark.url}` : '';
    return (
      `${who} added the hunting bookmark "${bookmark.displayName}" to this incident from Microsoft Teams (Sentinel Hunt Bot). ` +
      `Hunt: ${cleanName(run.title)} (${run.huntKey}), window ${run.windowStart} → ${run.windowEnd}; device ${cleanName(hit.deviceName) || hit.deviceId} (${hit.deviceId}), ${hit.count} events.${link}`
    );
  }

  private entry(action: AuditEntry['action'], found: { run: HuntRun; hit: DeviceHit }, actor: Requester, detail: string): AuditEntry {
    return {
      action,
      searchKey: searchKeyOf(found.run.huntKey, found.hit.deviceId),
      actorAadObjectId: actor.aadObjectId,
      actorName: cleanName(actor.name),
      actorUpn: actor.upn ?? '',
      conversationId: actor.conversationId,
      atUtc: this.now().toISOString(),
      detail,
    };
  }

  private failure(event: string, error: unknown, runId: string): string {
    const correlationId = newCorrelationId();
    this.logger.warn({ event, correlationId, runId, err: error }, 'escalation failed');
    const text = error instanceof EscalationError ? error.message : `Nothing was written: ${userErrorText(error)}`;
    return `${text} (correlation id ${correlationId})`;
  }
}

/** "1234", "#1234" → 1234; anything else → undefined. */
export function parseIncidentNumber(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const match = /^\s*#?(\d{1,9})\s*$/.exec(text);
  const n = match ? Number(match[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function hitBookmarkOf(bookmark: HuntBookmark): HitBookmark {
  return {
    bookmarkId: bookmark.bookmarkId,
    byName: bookmark.createdByName,
    byAadObjectId: bookmark.createdByAadObjectId,
    atUtc: bookmark.createdAtUtc,
    url: bookmark.url,
    incidents: bookmark.incidents,
  };
}

/** The run with one device's bookmark set. */
export function withHitBookmark(run: HuntRun, deviceId: string, bookmark: HitBookmark): HuntRun {
  const apply = (hits: DeviceHit[]) => hits.map((h) => (h.deviceId === deviceId ? { ...h, bookmark } : h));
  return { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
}
