import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'adaptivecards-templating';
import { packageRoot } from '../package-root';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import { preparedTemplateReader } from './prepared-templates';

export type CardTemplateName = 'running' | 'result' | 'error' | 'help' | 'hunts' | 'choice' | 'tag-form' | 'exclusions' | 'bookmark-form' | 'incident-form' | 'bookmarks' | 'audit' | 'bulk-tag-form' | 'bulk-tag-confirm' | 'expiring-tags';

const templates = new Map<string, Template>();
/** The build's prepared templates (prepared-templates.ts), read on first use; a template it does not hold is parsed. */
const prepared = preparedTemplateReader();

/** A parsed template, kept: parsing the expressions costs more than expanding them. */
function template(name: CardTemplateName): Template {
  let parsed = templates.get(name);
  if (parsed === undefined) {
    const file = path.join(packageRoot(), 'cards', `${name}.json`);
    parsed = prepared(fs.readFileSync(file, 'utf8'));
    templates.set(name, parsed);
  }
  return parsed;
}

/**
 * Prepares templates ahead of use: parsing the result card's takes 100–300 ms of the event loop, which the
 * first burst of hunts after a start would otherwise wait behind (the build's prepared copy takes a few).
 * Meant for while the engine loads its data.
 */
export function warmCardTemplates(names: readonly CardTemplateName[]): void {
  for (const name of names) template(name);
}

/**
 * Expands a card template from `cards/` with data. Data values are substituted as values, never
 * re-parsed as template expressions, so user-controlled text such as `${x}` renders literally.
 */
export function expandCard(name: CardTemplateName, data: object): AdaptiveCardJson {
  const expanded = template(name).expand({ $root: data }) as AdaptiveCardJson;
  return expanded;
}

/** Size of a card as Teams counts it against its message limit (bytes of JSON). */
export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
