import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HUNT_FILE_SCHEMA, schemaProblems } from './schema-problems';
import { shownText } from './shown-text';
import { builtinHuntsDir } from './package-paths';
import type { BenignScenario } from '../domain/hunt-definition';

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

/** Validates a list of scenarios (the defaults file, or a hunt's `benignScenarios`) against the hunt file schema. */
export function parseBenignScenarios(raw: unknown, fieldName: string): { scenarios: BenignScenario[]; problems: string[] } {
  const problems = schemaProblems(HUNT_FILE_SCHEMA, raw, fieldName, '#/definitions/benignScenarios');
  if (problems.length > 0) return { scenarios: [], problems };
  const scenarios: BenignScenario[] = [];
  (raw as ScenarioFields[]).forEach((item, index) => {
    if (scenarios.some((other) => other.id === item.id)) problems.push(`field '${fieldName}[${index}].id' repeats scenario id ${shownText(item.id, 40)}`);
    scenarios.push({
      id: item.id,
      title: item.title,
      description: item.description,
      requiresJustification: item.requiresJustification ?? false,
      ...(item.evidence !== undefined ? { evidence: item.evidence } : {}),
    });
  });
  return { scenarios, problems };
}

/** A scenario as the schema admits it. */
interface ScenarioFields {
  id: string;
  title: string;
  description: string;
  evidence?: string;
  requiresJustification?: boolean;
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
