import { resultCard, tagFormCard, type ResultView } from '../cards/run-cards';
import type { Authorizer } from '../commands/command-registry';
import type { Requester } from '../commands/command-spec';
import type { RunRegistry } from '../runs/run-registry';
import type { TagOutcome, TagService } from '../tags/tag-service';
import type { CardActionResult, CardActionRouter } from './card-action-router';

/** Card actions on a result: open the tag form, save or remove a tag, change one's own view. */
export function registerResultActions(router: CardActionRouter, tags: TagService, runs: RunRegistry, authorizer: Authorizer): void {
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

  router.on('hit.tag.save', async (data, actor) => {
    const found = await tags.locate(data.runId, data.deviceId);
    if (!('message' in found)) {
      const denied = await mayTag(actor, `${found.run.huntKey}|${found.hit.deviceId}`);
      if (denied) return denied;
    }
    return outcomeResult(await tags.tag(data.runId, data.deviceId, data, actor), data);
  });

  router.on('hit.untag', async (data, actor) => {
    const found = await tags.locate(data.runId, data.deviceId);
    if (!('message' in found)) {
      const denied = await mayTag(actor, `${found.run.huntKey}|${found.hit.deviceId}`);
      if (denied) return denied;
    }
    const outcome = await tags.untag(data.runId, data.deviceId, actor);
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
      // The clicker sees the shared result too; everyone else gets it through the message update.
      return { forClicker: { card: resultCard(outcome.run, viewOf(data)) }, forEveryone: resultCard(outcome.run) };
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
