import { bookmarkFormCard, incidentFormCard } from '../cards/escalation-cards';
import { resultCard, type ResultView } from '../cards/run-cards';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import { unbookmarkableReason } from '../escalation/bookmark-content';
import type { BookmarkService, EscalationOutcome } from '../escalation/bookmark-service';
import type { Logger } from '../logging/logger';
import type { CardPublisher } from '../runs/card-publisher';
import { searchKeyOf } from '../stores/exclusion-store';
import type { TagService } from '../tags/tag-service';
import type { CardActionOrigin, CardActionResult, CardActionRouter, CardActionSpec, RefusedAction } from './card-action-router';

/**
 * Card actions that escalate a hit: bookmark it (Sentinel hunting bookmark, or the local store) and add that
 * bookmark to an incident. Both write, so both need tagger permission; refusals go to the audit trail.
 */
export function registerEscalationActions(router: CardActionRouter, bookmarks: BookmarkService, tags: TagService, publisher: CardPublisher, logger: Logger): void {
  const inSentinel = bookmarks.storeName === 'sentinel';
  const escalating: Pick<CardActionSpec, 'access' | 'doing' | 'onRefused'> = {
    access: 'tag',
    doing: 'escalate hits',
    onRefused: (refusal) => tags.audit('denied', refusedSubject(refusal), refusal.actor, `${refusal.reason} (escalation)`),
  };

  router.on('hit.bookmark', {
    ...escalating,
    handle: async ({ run, data }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      return { forClicker: { card: bookmarkFormCard(run, found.hit, inSentinel, { view: viewOf(data) }) } };
    },
  });

  router.on('hit.bookmark.save', {
    ...escalating,
    writes: true,
    handle: async ({ run, data, actor, origin }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      const outcome = await bookmarks.bookmark(found, data.note, actor);
      const formState = { view: viewOf(data), note: typeof data.note === 'string' ? data.note.slice(0, 1000) : '' };
      const device = found.hit.deviceName || found.hit.deviceId;
      if (outcome.kind === 'invalid') {
        return { forClicker: { card: bookmarkFormCard(run, found.hit, inSentinel, { ...formState, errors: outcome.errors }) }, outcome: `No bookmark was made for ${device}: ${outcome.errors.join(' ')}` };
      }
      if (outcome.kind === 'failed') {
        // Not "no bookmark was made": a create that timed out may still have landed.
        return { forClicker: { card: bookmarkFormCard(run, found.hit, inSentinel, { ...formState, errors: [outcome.message], retry: true }) }, outcome: `Bookmarking ${device} failed: ${outcome.message}` };
      }
      return afterWrite(outcome, data, origin, publisher, logger);
    },
  });

  router.on('hit.incident', {
    ...escalating,
    handle: async ({ run, data }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      const offer = await bookmarks.offeredIncidents(found.hit, run);
      return { forClicker: { card: incidentFormCard(run, found.hit, inSentinel, offer.incidents, { view: viewOf(data), offerProblem: offer.problem }) } };
    },
  });

  router.on('hit.incident.save', {
    ...escalating,
    writes: true,
    handle: async ({ run, data, actor, origin }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      const typed = typeof data.incidentNumber === 'string' ? data.incidentNumber.trim().slice(0, 20) : '';
      const chosen = typed !== '' ? typed : data.offered;
      const outcome = await bookmarks.addToIncident(found, chosen, actor);
      const formState = { view: viewOf(data), incidentNumber: typed };
      const device = found.hit.deviceName || found.hit.deviceId;
      if (outcome.kind === 'invalid') {
        return { forClicker: { card: incidentFormCard(run, found.hit, inSentinel, [], { ...formState, errors: outcome.errors }) }, outcome: `The bookmark of ${device} was not added to an incident: ${outcome.errors.join(' ')}` };
      }
      if (outcome.kind === 'failed') {
        return { forClicker: { card: incidentFormCard(run, found.hit, inSentinel, [], { ...formState, errors: [outcome.message], retry: true }) }, outcome: `Adding the bookmark of ${device} to an incident failed: ${outcome.message}` };
      }
      return afterWrite(outcome, data, origin, publisher, logger);
    },
  });
}

/** The write landed: everyone's card shows the bookmark, and the clicker is told exactly what happened. */
async function afterWrite(
  outcome: Extract<EscalationOutcome, { kind: 'bookmarked' | 'added' }>,
  data: Record<string, unknown>,
  origin: CardActionOrigin,
  publisher: CardPublisher,
  logger: Logger,
): Promise<CardActionResult> {
  const notices = [doneText(outcome), ...outcome.problems];
  if (origin) {
    try {
      await publisher.update(origin, resultCard(outcome.run), { inTurn: true });
    } catch (error) {
      logger.warn({ event: 'bookmark-card-refresh-failed', runId: outcome.run.runId, err: error }, 'could not refresh the shared card after a bookmark');
      notices.push('The shared card could not be refreshed for everyone; others see the bookmark when they next page this result.');
    }
  }
  return { forClicker: { card: resultCard({ ...outcome.run, warnings: [...notices, ...(outcome.run.warnings ?? [])] }, viewOf(data)) }, outcome: notices.join(' ') };
}

function doneText(outcome: Extract<EscalationOutcome, { kind: 'bookmarked' | 'added' }>): string {
  const device = outcome.hit.deviceName || outcome.hit.deviceId;
  const where = outcome.hit.bookmark?.url ? 'in Sentinel' : 'in the local store';
  if (outcome.kind === 'bookmarked') {
    return outcome.created
      ? `Bookmarked ${device} ${where}.`
      : `${device} was already bookmarked for this run (by ${outcome.hit.bookmark?.byName || 'someone'}); no second bookmark was made.`;
  }
  const n = outcome.incident.number;
  const local = outcome.incident.incidentId === '' ? ' (recorded locally: no Sentinel workspace is configured)' : outcome.commented ? ' and commented on it' : '';
  return outcome.newlyRelated ? `Added the bookmark of ${device} to incident #${n}${local}.` : `The bookmark of ${device} was already on incident #${n}; nothing new was added.`;
}

/** The device on the admitted run; card data only names it. */
function hitOn(run: HuntRun, deviceId: unknown): { run: HuntRun; hit: DeviceHit } | { message: string } {
  if (typeof deviceId !== 'string') return { message: 'This card action is missing its device.' };
  if (run.status === 'running') return { message: 'This hunt is still running; escalate its devices from the result when it is done.' };
  // Rows without entityMappings are named by position only (`row:1`), which names different data next run.
  if (run.untaggable) return { message: `Rows of this result cannot be bookmarked or added to an incident: ${run.untaggable} Nothing was written.` };
  const unbookmarkable = unbookmarkableReason(run);
  if (unbookmarkable) return { message: unbookmarkable };
  const hit = run.hits.find((h) => h.deviceId === deviceId) ?? run.hidden.find((h) => h.deviceId === deviceId);
  if (!hit) return { message: 'That device is not part of this result, so it cannot be escalated from this card.' };
  return { run, hit };
}

function refusedSubject(refusal: RefusedAction): string {
  if (!refusal.run) return `run:${refusal.runId ?? '?'}|?`;
  const found = hitOn(refusal.run, refusal.data.deviceId);
  return searchKeyOf(refusal.run.huntKey, 'hit' in found ? found.hit.deviceId : '?');
}

function viewOf(data: Record<string, unknown>): ResultView {
  const page = typeof data.page === 'number' ? data.page : typeof data.page === 'string' && /^\d{1,6}$/.test(data.page) ? Number(data.page) : 0;
  return { page: Math.max(0, Math.floor(page)), showHidden: data.showHidden === true || data.showHidden === 'true' };
}
