import { readBoundedYaml } from '../hunts/bounded-yaml';
import { HUNT_EXPECT_SCHEMA, schemaProblems } from '../hunts/schema-problems';
import { shownText } from '../hunts/shown-text';
import type { QueryWindow } from '../domain/hunt-request';

/** What `expect.yaml` in a hunt's fixtures folder says the hunt must and must not find (schemas/hunt-expect.schema.json). */
export interface HuntExpectation {
  hit: string[];
  miss: string[];
  window?: QueryWindow;
  parameters: Record<string, string | number | boolean>;
  /** Raw values for the hunt's typed arguments; checked against each argument's type when the hunt runs. */
  arguments: Record<string, string>;
}

export type ExpectFileResult = { ok: true; expectation: HuntExpectation } | { ok: false; reason: string };

interface ExpectFields {
  hit?: string[];
  miss?: string[];
  window?: { start: string; end: string };
  parameters?: Record<string, string | number | boolean>;
  arguments?: Record<string, string>;
}

/** The expectations in an expect.yaml text, or one sentence per problem (never quoting the file's values). */
export function parseExpectFile(text: string): ExpectFileResult {
  const yaml = readBoundedYaml(text);
  if (!yaml.ok) return yaml;
  const fields = yaml.value;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return { ok: false, reason: 'must be a YAML mapping with hit and/or miss lists' };
  if (!('hit' in fields) && !('miss' in fields)) {
    return { ok: false, reason: 'names no entity: add hit: [<entities the hunt must find>] and/or miss: [<entities it must not find>]' };
  }
  const problems = schemaProblems(HUNT_EXPECT_SCHEMA, fields);
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  const { hit = [], miss = [], window, parameters = {}, arguments: argumentValues = {} } = fields as ExpectFields;
  const both = hit.filter((entity) => miss.some((other) => other.toLowerCase() === entity.toLowerCase()));
  if (both.length > 0) return { ok: false, reason: `lists ${shownText(both[0], 80)} under both hit and miss` };
  if (!window) return { ok: true, expectation: { hit, miss, parameters, arguments: argumentValues } };
  const start = new Date(window.start);
  const end = new Date(window.end);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return { ok: false, reason: "field 'window' has a time that is not a real date" };
  if (end <= start) return { ok: false, reason: "field 'window' must end after it starts" };
  return { ok: true, expectation: { hit, miss, window: { start, end }, parameters, arguments: argumentValues } };
}
