import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'adaptivecards-templating';
import { packageRoot } from '../package-root';
import type { AdaptiveCardJson } from '../commands/command-reply';

export type CardTemplateName = 'running' | 'result' | 'error' | 'help' | 'hunts' | 'choice' | 'tag-form' | 'exclusions';

const templates = new Map<string, unknown>();

function template(name: CardTemplateName): unknown {
  let json = templates.get(name);
  if (json === undefined) {
    const file = path.join(packageRoot(), 'cards', `${name}.json`);
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
    templates.set(name, json);
  }
  return json;
}

/**
 * Expands a card template from `cards/` with data. Data values are substituted as values, never
 * re-parsed as template expressions, so user-controlled text such as `${x}` renders literally.
 */
export function expandCard(name: CardTemplateName, data: object): AdaptiveCardJson {
  const expanded = new Template(template(name)).expand({ $root: data }) as AdaptiveCardJson;
  return expanded;
}

/** Size of a card as Teams counts it against its message limit (bytes of JSON). */
export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
