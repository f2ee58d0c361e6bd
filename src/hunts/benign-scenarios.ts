import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FieldReader } from './field-reader';
import { shownText } from './shown-text';
import { builtinHuntsDir } from './package-paths';
import type { BenignScenario } from '../domain/hunt-definition';

const SCENARIO_ID = /^[a-z][a-z0-9-]*$/;
const SCENARIO_FIELDS = ['id', 'title', 'description', 'evidence', 'requiresJustification'] as const;

/** Where the default scenarios live (data, next to the hunts). */
export function defaultScenariosPath(): string {
  return path.join(builtinHuntsDir(), 'benign-scenarios.yaml');
}

let defaults: BenignScenario[] | undefined;

/** The scenarios every hunt offers; read once per process. Throws if the shipped file is broken. */
export function loadDefaultBenignScenarios(): BenignScenario[] {
  if (!defaults) {
    const file = defaultScenariosPath();
    const { scenarios, problems } = parseBenignScenarios(parseYaml(fs.readFileSync(file, 'utf8')), 'benign scenarios');
    if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
    defaults = scenarios;
  }
  return defaults.map((scenario) => ({ ...scenario }));
}

/** Validates a list of scenarios (the defaults file, or a hunt's `benignScenarios`). */
export function parseBenignScenarios(raw: unknown, fieldName: string): { scenarios: BenignScenario[]; problems: string[] } {
  if (!Array.isArray(raw)) return { scenarios: [], problems: [`field '${fieldName}' must be a list of scenarios`] };
  const problems: string[] = [];
  const scenarios: BenignScenario[] = [];
  raw.forEach((item, index) => {
    if (!FieldReader.isMapping(item)) {
      problems.push(`field '${fieldName}[${index}]' must be a mapping with id, title and description`);
      return;
    }
    const reader = new FieldReader(item, `${fieldName}[${index}].`);
    reader.rejectUnknownKeys(SCENARIO_FIELDS);
    const scenario: BenignScenario = {
      id: reader.string('id', { pattern: SCENARIO_ID, patternHint: 'lower-case words joined by hyphens' }),
      title: reader.string('title'),
      description: reader.string('description'),
      requiresJustification: reader.boolean('requiresJustification', false),
    };
    const evidence = reader.optionalString('evidence');
    if (evidence !== undefined) scenario.evidence = evidence;
    if (scenarios.some((other) => other.id === scenario.id)) reader.problem('id', `repeats scenario id ${shownText(scenario.id, 40)}`);
    problems.push(...reader.problems);
    scenarios.push(scenario);
  });
  return { scenarios, problems };
}

/**
 * A hunt's scenarios: the defaults, with a hunt's scenario replacing the default of the same id and
 * new ones added before `other`, which stays last as the catch-all.
 */
export function mergeBenignScenarios(base: readonly BenignScenario[], extra: readonly BenignScenario[]): BenignScenario[] {
  const merged = base.map((scenario) => extra.find((e) => e.id === scenario.id) ?? scenario);
  const added = extra.filter((e) => !base.some((b) => b.id === e.id));
  const otherIndex = merged.findIndex((scenario) => scenario.id === 'other');
  if (otherIndex < 0) return [...merged, ...added];
  return [...merged.slice(0, otherIndex), ...added, ...merged.slice(otherIndex)];
}
