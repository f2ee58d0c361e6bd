import { bulkTagConfirmCard, bulkTagFormCard, type BulkTagState } from '../cards/bulk-tag-cards';
import { DEVICES_PER_PAGE, resultCard, type ResultView } from '../cards/run-cards';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import type { Logger } from '../logging/logger';
import type { CardPublisher } from '../runs/card-publisher';
import { parseTagForm } from '../tags/tag-form';
import type { TagSavedHook } from '../tags/expiry-wiring';
import type { TagService } from '../tags/tag-service';
import { countOf } from '../text/count-text';
import type { CardActionRouter, CardActionSpec } from './card-action-router';

/** More than a page is never tagged by one press. */
const MAX_DEVICES = DEVICES_PER_PAGE;

/**
 * "Tag all on this page": a form (one scenario, justification, expiry and scope), a confirmation naming the
 * count and the devices, then one tag per device, each audited. The devices are the page's untagged hits of
 * the run kept server-side; the ids the cards carry are only accepted when they are on that run.
 */
export function registerBulkTagActions(router: CardActionRouter, tags: TagService, publisher: CardPublisher, logger: Logger, onSaved?: TagSavedHook): void {
  const tagging: Pick<CardActionSpec, 'access' | 'doing' | 'onRefused'> = {
    access: 'tag',
    doing: 'tag hits',
    onRefused: (refusal) => tags.audit('denied', `${refusal.run?.huntKey ?? `run:${refusal.runId ?? '?'}`}|(page)`, refusal.actor, `${refusal.reason} (tag all on page)`),
  };

  router.on('results.tagpage', {
    ...tagging,
    handle: async ({ run, data }) => {
      const view = viewOf(data);
      if (run.untaggable) return { forClicker: { message: untaggableText(run.untaggable) } };
      const hits = untaggedOnPage(run, view);
      if (hits.length === 0) return { forClicker: { message: 'Every device on this page is already tagged.' } };
      return { forClicker: { card: bulkTagFormCard(run, hits, { view }) } };
    },
  });

  router.on('results.tagpage.confirm', {
    ...tagging,
    handle: async ({ run, data }) => {
      const state = stateOf(data);
      const chosen = chosenHits(run, data.deviceIds);
      if ('message' in chosen) return { forClicker: { message: chosen.message } };
      const form = parseTagForm(data, run.scenarios, new Date());
      if (!form.ok) return { forClicker: { card: bulkTagFormCard(run, chosen.hits, { ...state, errors: form.errors }) } };
      if (form.value.scope === 'tool-everywhere') return { forClicker: { card: bulkTagFormCard(run, chosen.hits, { ...state, errors: ['Pick this tool or every tool of the family, per device.'] }) } };
      const value = { scenarioId: form.value.scenario.id, scenarioTitle: form.value.scenario.title, scope: form.value.scope, justification: form.value.justification, expiresAtUtc: form.value.expiresAtUtc };
      return { forClicker: { card: bulkTagConfirmCard(run, chosen.hits, value, state) } };
    },
  });

  router.on('results.tagpage.save', {
    ...tagging,
    writes: true,
    handle: async ({ run, data, actor, origin }) => {
      const chosen = chosenHits(run, data.deviceIds);
      if ('message' in chosen) return { forClicker: { message: chosen.message } };
      const alreadyTagged = chosen.hits.filter((h) => h.tag);
      const publish = origin ? Object.assign((r: HuntRun) => publisher.update(origin, resultCard(r), { inTurn: true }), { card: origin.activityId }) : undefined;
      const outcome = await tags.tagMany(run, chosen.hits.filter((h) => !h.tag), data, actor, publish);
      if (outcome.kind === 'invalid') {
        return { forClicker: { card: bulkTagFormCard(run, chosen.hits, { ...stateOf(data), errors: outcome.errors }) }, outcome: `Nothing was tagged: ${outcome.errors.join(' ')}` };
      }
      if (origin && onSaved) for (const tag of outcome.saved) await onSaved(tag.searchKey, actor, origin);
      const notices = [`Tagged ${countOf(outcome.saved.length, 'device')} as benign, each with its own audit entry.`];
      if (alreadyTagged.length > 0) notices.push(`${countOf(alreadyTagged.length, 'device')} had been tagged meanwhile and kept that tag.`);
      for (const f of outcome.failed) notices.push(`NOT saved for ${f.hit.deviceName || f.hit.deviceId}: ${f.message}`);
      if (outcome.problems.includes('card')) notices.push('The shared card could not be refreshed for everyone; others see the tags when they next page this result.');
      if (outcome.problems.includes('run-state')) notices.push('The stored result could not be updated: paging this card may show old tags until the hunt runs again.');
      logger.info({ event: 'tag-all-on-page', runId: run.runId, saved: outcome.saved.length, failed: outcome.failed.length }, 'tag all on page');
      return { forClicker: { card: resultCard({ ...outcome.run, warnings: [...notices, ...(outcome.run.warnings ?? [])] }, viewOf(data)) }, outcome: notices.join(' ') };
    },
  });
}

/** The untagged devices of one page of the run, as the result card lists them. */
export function untaggedOnPage(run: HuntRun, view: ResultView): DeviceHit[] {
  if (run.status !== 'done' || run.untaggable) return [];
  const listed = view.showHidden ? [...run.hits, ...run.hidden] : run.hits;
  const page = view.page ?? 0;
  return listed.slice(page * DEVICES_PER_PAGE, (page + 1) * DEVICES_PER_PAGE).filter((h) => !h.tag);
}

/** The devices a form or confirmation named, each looked up on the admitted run. */
function chosenHits(run: HuntRun, value: unknown): { hits: DeviceHit[] } | { message: string } {
  if (run.status !== 'done') return { message: 'This hunt has no finished result to tag.' };
  if (run.untaggable) return { message: untaggableText(run.untaggable) };
  const ids = typeof value === 'string' ? [...new Set(value.split('\n').filter((id) => id !== ''))] : [];
  if (ids.length === 0 || ids.length > MAX_DEVICES) return { message: 'This card action does not name the devices of a page.' };
  const all = [...run.hits, ...run.hidden];
  const hits = ids.map((id) => all.find((h) => h.deviceId === id));
  if (hits.some((h) => h === undefined)) return { message: 'A device on this card is not part of this result, so nothing was tagged.' };
  return { hits: hits as DeviceHit[] };
}

/** Rows of a query without entityMappings are named by position only (`row:1`): a tag on one would later apply to other data. */
function untaggableText(reason: string): string {
  return `Rows of this result cannot be tagged: ${reason} Nothing was tagged.`;
}

function stateOf(data: Record<string, unknown>): BulkTagState {
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  return {
    scenario: text(data.scenario, 80),
    scope: text(data.scope, 30),
    justification: text(data.justification, 2000),
    expiry: text(data.expiry, 10) || undefined,
    expiresOn: text(data.expiresOn, 20),
    view: viewOf(data),
  };
}

function viewOf(data: Record<string, unknown>): ResultView {
  const page = typeof data.page === 'number' ? data.page : typeof data.page === 'string' && /^\d{1,6}$/.test(data.page) ? Number(data.page) : 0;
  return { page: Math.max(0, Math.floor(page)), showHidden: data.showHidden === true || data.showHidden === 'true' };
}
