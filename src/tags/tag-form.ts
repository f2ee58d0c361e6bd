import type { BenignScenario } from '../domain/hunt-definition';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES } from '../domain/tag-expiry';
import { cleanDisplayText } from '../text/display-text';
import { TAG_SCOPES, type TagScope } from '../stores/exclusion-store';

export const JUSTIFICATION_MAX = 500;
const DAY_MS = 86_400_000;
const LATEST_EXPIRY_MS = 2 * 366 * DAY_MS;

/** What the tag form submits; every field is untrusted. */
export interface TagFormInput {
  scenario?: unknown;
  justification?: unknown;
  expiry?: unknown;
  expiresOn?: unknown;
  scope?: unknown;
}

export interface TagFormValue {
  scenario: BenignScenario;
  justification: string;
  /** ISO 8601 UTC, or '' for never. */
  expiresAtUtc: string;
  scope: TagScope;
}

export type TagFormResult = { ok: true; value: TagFormValue } | { ok: false; errors: string[] };

/** Cleans a justification: unsafe characters removed, whitespace collapsed, length limited. */
export function cleanJustification(raw: string): { text: string; truncated: boolean } {
  const text = cleanDisplayText(raw).replace(/\s+/g, ' ').trim();
  if (text.length <= JUSTIFICATION_MAX) return { text, truncated: false };
  return { text: text.slice(0, JUSTIFICATION_MAX), truncated: true };
}

/** Validates the tag form against the hunt's scenarios; every problem is named for the form. */
export function parseTagForm(input: TagFormInput, scenarios: readonly BenignScenario[], now: Date): TagFormResult {
  const errors: string[] = [];
  const scenarioId = typeof input.scenario === 'string' ? input.scenario.trim() : '';
  const scenario = scenarios.find((s) => s.id === scenarioId);
  if (!scenario) {
    errors.push(
      scenarioId === ''
        ? 'Pick a scenario.'
        : `"${scenarioId.slice(0, 40)}" is not a scenario of this hunt. Pick one of: ${scenarios.map((s) => s.id).join(', ')}.`,
    );
  }

  const rawJustification = typeof input.justification === 'string' ? input.justification : '';
  if (rawJustification.length > JUSTIFICATION_MAX * 4) errors.push(`The justification is too long (limit ${JUSTIFICATION_MAX} characters).`);
  const { text: justification, truncated } = cleanJustification(rawJustification.slice(0, JUSTIFICATION_MAX * 4));
  if (truncated) errors.push(`The justification is too long (limit ${JUSTIFICATION_MAX} characters).`);
  if (scenario?.requiresJustification && justification.length < 3) errors.push(`"${scenario.title}" needs a justification: say why it is benign.`);

  let expiresAtUtc = '';
  const expiresOn = typeof input.expiresOn === 'string' ? input.expiresOn.trim() : '';
  const expiry = typeof input.expiry === 'string' && input.expiry.trim() !== '' ? input.expiry.trim() : DEFAULT_EXPIRY;
  if (expiresOn !== '') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(expiresOn);
    const at = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59) : NaN;
    if (Number.isNaN(at) || !match || new Date(at).getUTCDate() !== Number(match[3])) errors.push(`"${expiresOn.slice(0, 20)}" is not a date (use YYYY-MM-DD).`);
    else if (at <= now.getTime()) errors.push('The expiry date is in the past. Pick a later date, or "never".');
    else if (at - now.getTime() > LATEST_EXPIRY_MS) errors.push('The expiry date is more than two years away. Pick an earlier date, or "never".');
    else expiresAtUtc = new Date(at).toISOString();
  } else if (expiry === 'never') {
    expiresAtUtc = '';
  } else if ((EXPIRY_CHOICES as readonly string[]).includes(expiry)) {
    expiresAtUtc = new Date(now.getTime() + Number(expiry.slice(0, -1)) * DAY_MS).toISOString();
  } else {
    errors.push(`"${expiry.slice(0, 20)}" is not an expiry. Pick one of: ${EXPIRY_CHOICES.join(', ')}.`);
  }

  // No scope (forms from before scopes, the CLI) means this device, as every tag did before.
  const scopeText = typeof input.scope === 'string' && input.scope.trim() !== '' ? input.scope.trim() : 'device';
  const scope = TAG_SCOPES.find((s) => s === scopeText);
  if (!scope) errors.push(`"${scopeText.slice(0, 30)}" is not a tag scope. Pick one of: ${TAG_SCOPES.join(', ')}.`);

  if (errors.length > 0 || !scenario || !scope) return { ok: false, errors };
  return { ok: true, value: { scenario, justification, expiresAtUtc, scope } };
}
