import { mergeBenignScenarios, parseBenignScenarios } from './benign-scenarios';
import { parseDuration } from './duration';
import { placeholdersIn } from './placeholders';
import { WINDOW_PARAMETERS } from './render';
import { DEFAULT_HUNT_FAMILY, type BenignScenario, type HuntDefinition, type HuntParameter } from '../domain/hunt-definition';
import { shownText } from './shown-text';
import { HUNT_FILE_SCHEMA, schemaProblems } from './schema-problems';
import { sentinelHuntFrom } from './sentinel-hunt';
import type { QueryTimeWindow } from '../kql';
import { isMapping, sentinelQueryFields, type HuntFileFields } from './hunt-file-fields';
import { readArgumentDeclarations } from './hunt-arguments';

/**
 * The hunt file format: Azure-Sentinel hunting-query fields, plus ours for the bot's own hunts. The
 * shape is the JSON Schema `schemas/hunt-file.schema.json` (editors validate with the same file); what
 * a schema cannot say (placeholders against parameters, window lengths, repeated scenario ids) is checked here.
 */

export const SIGNAL_KINDS = ['filesig', 'process', 'network'] as const;

const DEFAULT_PARAMETERS: HuntParameter[] = [
  { name: 'TimeStart', type: 'datetime', description: 'Start of the hunt window (inclusive)' },
  { name: 'TimeEnd', type: 'datetime', description: 'End of the hunt window (inclusive)' },
];

export interface HuntSchemaResult {
  hunt?: HuntDefinition;
  problems: string[];
}

export interface HuntSchemaOptions {
  /** Family of an Azure-Sentinel file (its folder's, from HUNTS_DIR); default `hunts`. */
  family?: string;
  /** Where an Azure-Sentinel query writes its own window (default: this thread's parser, findQueryTimeWindow). */
  findTimeWindow?: (kql: string) => QueryTimeWindow;
}

/** Checks a parsed hunt file and builds the definition; `problems` is empty when the file is valid. */
export function huntFromDocument(
  document: unknown,
  source: string,
  defaultScenarios: readonly BenignScenario[],
  options: HuntSchemaOptions = {},
): HuntSchemaResult {
  if (!isMapping(document)) return { problems: ['the file must be a YAML mapping of hunt fields'] };
  // An empty value (`aliases:`) means the field is absent, as YAML authors expect.
  const present = Object.fromEntries(Object.entries(document).filter(([, value]) => value !== null));
  const problems = schemaProblems(HUNT_FILE_SCHEMA, present);
  if (problems.length > 0) return { problems };
  const fields = present as unknown as HuntFileFields;
  // The schema's rule too: a file without `family` is an unmodified Azure-Sentinel hunting query.
  if (fields.family === undefined) return sentinelHuntFrom(fields, source, options.family ?? DEFAULT_HUNT_FAMILY, defaultScenarios, options.findTimeWindow);
  return botHuntFrom(fields, source, defaultScenarios);
}

function botHuntFrom(fields: HuntFileFields, source: string, defaultScenarios: readonly BenignScenario[]): HuntSchemaResult {
  const problems: string[] = [];
  const problem = (field: string, message: string) => problems.push(`field '${shownText(field, 80)}' ${message}`);
  const scenarios = fields.benignScenarios === undefined ? { scenarios: [], problems: [] } : parseBenignScenarios(fields.benignScenarios, 'benignScenarios');
  problems.push(...scenarios.problems);

  const hunt: HuntDefinition = {
    ...sentinelQueryFields(fields),
    family: fields.family!,
    tool: fields.tool!,
    toolName: fields.toolName!,
    kind: fields.kind!,
    aliases: [...(fields.aliases ?? [])],
    parameters: parameters(fields, problem),
    timeColumn: fields.timeColumn ?? 'Timestamp',
    entityKey: fields.entityKey ?? 'DeviceId',
    entityLabel: fields.entityLabel ?? 'DeviceName',
    maxWindowMs: duration(fields.maxWindow ?? '30d', 'maxWindow', problem),
    defaultWindowMs: duration(fields.defaultWindow ?? '5d', 'defaultWindow', problem),
    benignScenarios: fields.benignScenarios === undefined ? defaultScenarios.map((s) => ({ ...s })) : mergeBenignScenarios(defaultScenarios, scenarios.scenarios),
    source,
  };
  if (fields.upstreamId !== undefined) hunt.upstreamId = fields.upstreamId;
  if (fields.toolColumn !== undefined) hunt.toolColumn = fields.toolColumn;
  if (fields.entityMappings !== undefined) hunt.entityMappings = fields.entityMappings;
  const declared = readArgumentDeclarations(fields.arguments);
  problems.push(...declared.problems);
  if (declared.arguments.length > 0) hunt.arguments = declared.arguments;

  // A hunt about an entity (a lookup) names its own sections as kinds (file, logon, info, …); the schema checks the word.
  if (declared.arguments.length === 0 && !(SIGNAL_KINDS as readonly string[]).includes(hunt.kind)) {
    problem('kind', `must be one of ${SIGNAL_KINDS.join(', ')}`);
  }
  if (hunt.defaultWindowMs > hunt.maxWindowMs) problem('defaultWindow', 'must not be longer than maxWindow');
  if (hunt.aliases.includes(hunt.tool)) problem('aliases', `must not repeat the tool word ${hunt.tool}`);
  checkPlaceholders(hunt, problem, declared.placeholders);
  return problems.length > 0 ? { problems } : { hunt, problems: [] };
}

type Problem = (field: string, message: string) => void;

/** msticpy style: `parameters: { Name: { type, description, default? } }`; TimeStart/TimeEnd are implied. */
function parameters(fields: HuntFileFields, problem: Problem): HuntParameter[] {
  if (fields.parameters === undefined) return DEFAULT_PARAMETERS.map((p) => ({ ...p }));
  const list: HuntParameter[] = Object.entries(fields.parameters).map(([name, spec]) => ({
    name,
    type: spec.type,
    description: spec.description,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
  }));
  for (const windowName of WINDOW_PARAMETERS) {
    const declared = list.find((p) => p.name === windowName);
    if (!declared) list.unshift({ ...DEFAULT_PARAMETERS.find((p) => p.name === windowName)! });
    else if (declared.type !== 'datetime') problem(`parameters.${windowName}`, 'must have type datetime');
  }
  return list;
}

function duration(text: string, field: string, problem: Problem): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    problem(field, 'must be a duration like 30d or 12h');
    return 0;
  }
  return ms;
}

/** Every placeholder must be a declared parameter, and the window must actually be used. */
function checkPlaceholders(hunt: HuntDefinition, problem: Problem, argumentPlaceholders: readonly string[]): void {
  const used = placeholdersIn(hunt.query);
  for (const name of used) {
    if (!hunt.parameters.some((p) => p.name === name) && !argumentPlaceholders.includes(name)) {
      problem('query', `uses unknown placeholder {{${shownText(name, 40)}}}`);
    }
  }
  for (const argument of hunt.arguments ?? []) {
    if (hunt.parameters.some((p) => p.name === argument.name)) problem(`arguments.${argument.name}`, 'has the name of a parameter');
    const fills = argumentPlaceholders.filter((name) => name === argument.name || name.startsWith(`${argument.name}_`));
    if (!fills.some((name) => used.includes(name))) problem(`arguments.${argument.name}`, `is never used: put {{${argument.name}}} in the query`);
  }
  for (const name of WINDOW_PARAMETERS) {
    if (!used.includes(name)) problem('query', `must use the {{${name}}} placeholder so the requested window applies`);
  }
  for (const parameter of hunt.parameters) {
    const isWindow = (WINDOW_PARAMETERS as readonly string[]).includes(parameter.name);
    if (!isWindow && parameter.default === undefined) {
      problem(`parameters.${parameter.name}`, 'needs a default (only the window is supplied at run time)');
    }
  }
}
