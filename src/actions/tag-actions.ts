import { resultCard, tagFormCard, type ResultView } from '../cards/run-cards';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import type { Logger } from '../logging/logger';
import type { CardPublisher, CardTarget } from '../runs/card-publisher';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { searchKeyOf } from '../stores/exclusion-store';
import type { TagSavedHook } from '../tags/expiry-wiring';
import type { PublishRun, RefreshProblem } from '../tags/tag-refresh';
import type { TagOutcome, TagService } from '../tags/tag-service';
import type { ViewMemory } from './view-memory';
import type { CardActionOrigin, CardActionResult, CardActionRouter, CardActionSpec, RefusedAction } from './card-action-router';

/**
 * Card actions on a result: open the tag form, save or remove a tag, change one's own view. After a tag
 * write the shared message is replaced through `publisher` (not the invoke's reply), so the clicker can be
 * told whether everyone's card was refreshed.
 */
export function registerResultActions(
  router: CardActionRouter,
  tags: TagService,
  publisher: CardPublisher,
  logger: Logger,
  views?: ViewMemory,
  onSaved?: TagSavedHook,
): void {
  const shared = (origin: CardActionOrigin): PublishRun | undefined => (origin ? sharedCardPublisher(publisher, origin, logger) : undefined);
  const tagging: Pick<CardActionSpec, 'access' | 'doing' | 'onRefused'> = {
    access: 'tag',
    doing: 'tag hits',
    onRefused: (refusal) => tags.audit('denied', auditSubject(refusal), refusal.actor, refusal.reason),
  };
  const reading: Pick<CardActionSpec, 'access' | 'doing'> = { access: 'hunt', doing: 'see hunt results' };

  router.on('hit.tag', {
    ...tagging,
    handle: async ({ run, data }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      return { forClicker: { card: tagFormCard(run, found.hit, { scenario: found.hit.tag?.scenarioId, view: viewOf(data) }) } };
    },
  });

  router.on('hit.tag.save', {
    ...tagging,
    writes: true,
    handle: async ({ run, data, actor, origin }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      const outcome = await tags.tag(found, data, actor, shared(origin));
      if (outcome.kind === 'saved' && origin && onSaved) await onSaved(outcome.searchKey, actor, origin);
      return outcomeResult(outcome, data);
    },
  });

  router.on('hit.untag', {
    ...tagging,
    writes: true,
    handle: async ({ run, data, actor, origin }) => {
      const found = hitOn(run, data.deviceId);
      if ('message' in found) return { forClicker: { message: found.message } };
      const outcome = await tags.untag(found, actor, shared(origin));
      if (outcome.kind === 'not-saved') return { forClicker: { message: `${outcome.message} The tag is still in place; try again.` } };
      return outcomeResult(outcome, data);
    },
  });

  // Each person's page is remembered for the card's automatic refresh (refresh-actions.ts).
  const seen = (run: HuntRun, actor: { aadObjectId: string; id: string }, resultView: ResultView) => {
    views?.remember(run.runId, actor.aadObjectId || actor.id, resultView);
    return view(run, resultView);
  };
  router.on('results.view', { ...reading, handle: async ({ run, data, actor }) => seen(run, actor, { showHidden: false, page: pageOf(data.page) }) });
  router.on('results.hidden', { ...reading, handle: async ({ run, actor }) => seen(run, actor, { showHidden: true, page: 0 }) });
  router.on('results.page', { ...reading, handle: async ({ run, data, actor }) => seen(run, actor, viewOf(data)) });
}

/**
 * Replaces the shared result card after a tag write, with the short retry budget of a button press (the
 * clicker is waiting). If Teams keeps refusing, the conversation gets one plain note with a correlation id
 * (however many times the refresh tries), and the failure goes back to the tag service to tell the clicker.
 */
function sharedCardPublisher(publisher: CardPublisher, origin: CardTarget, logger: Logger): PublishRun {
  let noted = false;
  const publish = async (run: HuntRun): Promise<void> => {
    try {
      await publisher.update(origin, resultCard(run), { inTurn: true });
    } catch (error) {
      if (!noted && publisher.notify) {
        noted = true;
        const correlationId = newCorrelationId();
        logger.error({ event: 'shared-card-update-failed', correlationId, runId: run.runId, err: error }, 'could not update the shared card');
        const note = `Could not update the shared card for everyone: ${userErrorText(error, 120)}. The change is kept and shows in the next run of this hunt. (correlation id ${correlationId})`;
        await publisher.notify(origin, note).catch((noteError: unknown) => logger.error({ event: 'card-note-failed', correlationId, err: noteError }, 'could not post the card-update note either'));
      }
      throw error;
    }
  };
  return Object.assign(publish, { card: origin.activityId });
}

/** The device on the admitted run; card data only names it. A running hunt has no devices to tag yet. */
function hitOn(run: HuntRun, deviceId: unknown): { run: HuntRun; hit: DeviceHit } | { message: string } {
  if (typeof deviceId !== 'string') return { message: 'This card action is missing its device.' };
  if (run.status === 'running') return { message: 'This hunt is still running; tag its devices from the result when it is done.' };
  if (run.untaggable) return { message: `Rows of this result cannot be tagged: ${run.untaggable}` };
  const hit = run.hits.find((h) => h.deviceId === deviceId) ?? run.hidden.find((h) => h.deviceId === deviceId);
  if (!hit) return { message: 'That device is not part of this result, so it cannot be tagged from this card.' };
  return { run, hit };
}

/** What a refused tag press was aimed at, named by server-side values only (the run's hunt key, a device on it). */
function auditSubject(refusal: RefusedAction): string {
  if (!refusal.run) return `run:${refusal.runId ?? '?'}|?`;
  const found = hitOn(refusal.run, refusal.data.deviceId);
  return searchKeyOf(refusal.run.huntKey, 'hit' in found ? found.hit.deviceId : '?');
}

/** A person's own view of a result (page, hidden shown or not), from card data; out-of-range pages are clamped. */
function viewOf(data: Record<string, unknown>): ResultView {
  return { page: pageOf(data.page), showHidden: data.showHidden === true || data.showHidden === 'true' };
}

function pageOf(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 0;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

async function view(run: HuntRun, resultView: ResultView): Promise<CardActionResult> {
  return { forClicker: { card: resultCard(run, resultView) } };
}

function outcomeResult(outcome: TagOutcome, data: Record<string, unknown>): CardActionResult {
  const formState = {
    scenario: typeof data.scenario === 'string' ? data.scenario : '',
    justification: typeof data.justification === 'string' ? data.justification.slice(0, 2000) : '',
    expiry: typeof data.expiry === 'string' ? data.expiry : undefined,
    expiresOn: typeof data.expiresOn === 'string' ? data.expiresOn : '',
    scope: typeof data.scope === 'string' ? data.scope.slice(0, 30) : '',
    view: viewOf(data),
  };
  switch (outcome.kind) {
    case 'saved':
    case 'removed':
      // The write landed: the clicker is told so, with the store's tags, plus anything that could not be refreshed.
      // Everyone else already got the shared card from the publisher.
      return {
        forClicker: { card: resultCard(withNotices(outcome.run, afterWriteNotices(outcome)), viewOf(data)) },
        outcome: [doneText(outcome), ...afterWriteNotices(outcome)].join(' '),
      };
    case 'invalid':
      return {
        forClicker: { card: tagFormCard(outcome.run, outcome.hit, { ...formState, errors: outcome.errors }) },
        outcome: `The tag on ${deviceOf(outcome.hit)} was NOT saved: ${outcome.errors.join(' ')}`,
      };
    case 'not-saved':
      return {
        forClicker: {
          card: tagFormCard(outcome.run, outcome.hit, {
            ...formState,
            errors: [outcome.message, 'Nothing was changed. Press "Retry saving" to try again.'],
            retry: true,
          }),
        },
        outcome: `${outcome.message} Nothing was changed.`,
      };
    case 'stale':
      return { forClicker: { message: outcome.message } };
  }
}

function deviceOf(hit: DeviceHit): string {
  return hit.deviceName || hit.deviceId;
}

/** The write that landed, in one sentence (posted when the press outlasted Teams' wait). */
function doneText(outcome: Extract<TagOutcome, { kind: 'saved' | 'removed' }>): string {
  return outcome.kind === 'saved'
    ? `Tagged ${deviceOf(outcome.hit)} as benign for ${outcome.run.huntKey}.`
    : `Removed the tag on ${deviceOf(outcome.hit)} for ${outcome.run.huntKey}.`;
}

/** What the clicker should know beyond "it landed": what could not be brought in line with the store. */
function afterWriteNotices(outcome: Extract<TagOutcome, { kind: 'saved' | 'removed' }>): string[] {
  const done = outcome.kind === 'saved' ? 'Saved' : 'Removed';
  const notices: string[] = [];
  if (outcome.kind === 'removed' && !outcome.hadTag) notices.push('There was no tag to remove: someone else had removed it already.');
  const explain: Record<RefreshProblem, string> = {
    card: `${done}, but the shared card could not be refreshed for everyone; others see the change when they next page this result or run the hunt.`,
    'run-state': `${done}, but the stored result could not be updated: paging this card may show the old tag until the hunt runs again.`,
    'tags-unreadable': `${done}, but the tags could not be read back, so this card shows your change only.`,
  };
  for (const problem of outcome.problems) notices.push(explain[problem]);
  return notices;
}

function withNotices(run: HuntRun, notices: string[]): HuntRun {
  return notices.length === 0 ? run : { ...run, warnings: [...notices, ...(run.warnings ?? [])] };
}
