import { resultCard, tagFormCard, type ResultView } from '../cards/run-cards';
import type { Authorizer } from '../commands/command-registry';
import type { Requester } from '../commands/command-spec';
import type { HuntRun } from '../runs/hunt-run';
import type { RunRegistry } from '../runs/run-registry';
import type { CardPublisher } from '../runs/run-service';
import type { PublishRun, RefreshProblem, TagOutcome, TagService } from '../tags/tag-service';
import type { CardActionOrigin, CardActionResult, CardActionRouter } from './card-action-router';

/**
 * Card actions on a result: open the tag form, save or remove a tag, change one's own view. After a tag
 * write the shared message is replaced through `publisher` (not the invoke's reply), so the clicker can be
 * told whether everyone's card was refreshed.
 */
export function registerResultActions(
  router: CardActionRouter,
  tags: TagService,
  runs: RunRegistry,
  authorizer: Authorizer,
  publisher: CardPublisher,
): void {
  const shared = (origin: CardActionOrigin): PublishRun | undefined => (origin ? (run) => publisher.update(origin, resultCard(run)) : undefined);

  const mayTag = async (actor: Requester, what: string): Promise<CardActionResult | undefined> => {
    const decision = authorizer.check(actor, 'tag');
    if (decision.allowed) return undefined;
    await tags.audit('denied', what, actor, decision.reason);
    return { forClicker: { message: `Sorry, you can't tag hits here: ${decision.reason}` } };
  };

  router.on('hit.tag', async (data, actor) => {
    const found = await tags.locate(data.runId, data.deviceId);
    if ('message' in found) return { forClicker: { message: found.message } };
    const denied = await mayTag(actor, `${found.run.huntKey}|${found.hit.deviceId}`);
    if (denied) return denied;
    return { forClicker: { card: tagFormCard(found.run, found.hit, { scenario: found.hit.tag?.scenarioId }) } };
  });

  router.on('hit.tag.save', async (data, actor, origin) => {
    const found = await tags.locate(data.runId, data.deviceId);
    if (!('message' in found)) {
      const denied = await mayTag(actor, `${found.run.huntKey}|${found.hit.deviceId}`);
      if (denied) return denied;
    }
    return outcomeResult(await tags.tag(data.runId, data.deviceId, data, actor, shared(origin)), data);
  });

  router.on('hit.untag', async (data, actor, origin) => {
    const found = await tags.locate(data.runId, data.deviceId);
    if (!('message' in found)) {
      const denied = await mayTag(actor, `${found.run.huntKey}|${found.hit.deviceId}`);
      if (denied) return denied;
    }
    const outcome = await tags.untag(data.runId, data.deviceId, actor, shared(origin));
    if (outcome.kind === 'not-saved') return { forClicker: { message: `${outcome.message} The tag is still in place; try again.` } };
    return outcomeResult(outcome, data);
  });

  router.on('results.view', async (data) => view(runs, data.runId, { showHidden: false, page: pageOf(data.page) }));
  router.on('results.hidden', async (data) => view(runs, data.runId, { showHidden: true, page: 0 }));
  router.on('results.page', async (data) => view(runs, data.runId, viewOf(data)));
}

/** A person's own view of a result (page, hidden shown or not), from card data; out-of-range pages are clamped. */
function viewOf(data: Record<string, unknown>): ResultView {
  return { page: pageOf(data.page), showHidden: data.showHidden === true || data.showHidden === 'true' };
}

function pageOf(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 0;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

async function view(runs: RunRegistry, runId: unknown, resultView: ResultView): Promise<CardActionResult> {
  const run = typeof runId === 'string' ? await runs.get(runId) : undefined;
  if (!run) return { forClicker: { message: 'This result is no longer available. Run the hunt again.' } };
  return { forClicker: { card: resultCard(run, resultView) } };
}

function outcomeResult(outcome: TagOutcome, data: Record<string, unknown>): CardActionResult {
  const formState = {
    scenario: typeof data.scenario === 'string' ? data.scenario : '',
    justification: typeof data.justification === 'string' ? data.justification.slice(0, 2000) : '',
    expiry: typeof data.expiry === 'string' ? data.expiry : undefined,
    expiresOn: typeof data.expiresOn === 'string' ? data.expiresOn : '',
  };
  switch (outcome.kind) {
    case 'saved':
    case 'removed':
      // The write landed: the clicker is told so, with the store's tags, plus anything that could not be refreshed.
      // Everyone else already got the shared card from the publisher.
      return { forClicker: { card: resultCard(withNotices(outcome.run, afterWriteNotices(outcome)), viewOf(data)) } };
    case 'invalid':
      return { forClicker: { card: tagFormCard(outcome.run, outcome.hit, { ...formState, errors: outcome.errors }) } };
    case 'not-saved':
      return {
        forClicker: {
          card: tagFormCard(outcome.run, outcome.hit, {
            ...formState,
            errors: [outcome.message, 'Nothing was changed. Press "Retry saving" to try again.'],
            retry: true,
          }),
        },
      };
    case 'stale':
      return { forClicker: { message: outcome.message } };
  }
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
