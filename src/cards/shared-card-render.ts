import { randomBytes } from 'node:crypto';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import { expandCard, type CardTemplateName } from './card-templates';

/** Unguessable per process, so no user-controlled text (a device name, a justification) can contain a placeholder. */
const NONCE = randomBytes(12).toString('hex');
/**
 * Distinct card contents kept per template: a burst of identical hunts needs two result cards (the one that ran,
 * the ones that joined). Per template, so a burst of other hunts' running cards cannot push those out.
 */
const KEPT_MAX = 32;

const keptByTemplate = new Map<CardTemplateName, Map<string, string>>();
let expansions = 0;
let reuses = 0;

/** The placeholder that stands for one requester's value (`runId`, `requestedBy`) in card data expanded once for many. */
export function personalPlaceholder(name: string): string {
  return `@@huntbot-${name}-${NONCE}@@`;
}

/**
 * Expands a template once per distinct data and hands each caller its own copy with its personal values put
 * in. When 50 hunts join one backend run, their result cards differ only in the run id and the requester:
 * templating (the costliest step of a card, several ms of the event loop) runs once, each card is a string
 * replace and a JSON parse. `data` holds personalPlaceholder(name) where `personal[name]` goes; the
 * template must use those values only as whole values (never in an expression), as the result card does.
 */
export function expandCardForEach(name: CardTemplateName, data: object, personal: Readonly<Record<string, string>>): AdaptiveCardJson {
  const key = JSON.stringify(data);
  let kept = keptByTemplate.get(name);
  if (kept === undefined) keptByTemplate.set(name, (kept = new Map()));
  let text = kept.get(key);
  if (text === undefined) {
    text = JSON.stringify(expandCard(name, data));
    expansions++;
  } else {
    reuses++;
    kept.delete(key);
  }
  kept.set(key, text);
  while (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value as string);
  for (const [field, value] of Object.entries(personal)) {
    // The value as it sits inside a JSON string (quotes and control characters escaped).
    text = text.split(personalPlaceholder(field)).join(JSON.stringify(value).slice(1, -1));
  }
  return JSON.parse(text) as AdaptiveCardJson;
}

/** Template expansions done and saved by reuse since start (on /healthz; bench:bot and tests read them). */
export function sharedCardRenderStats(): { expansions: number; reuses: number } {
  return { expansions, reuses };
}
