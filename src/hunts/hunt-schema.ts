import { mergeBenignScenarios, parseBenignScenarios } from './benign-scenarios';
import { parseDuration } from './duration';
import { FieldReader } from './field-reader';
import { isParameterName, placeholdersIn } from './placeholders';
import { WINDOW_PARAMETERS } from './render';
import type { BenignScenario, HuntDefinition, HuntParameter } from '../domain/hunt-definition';
import { shownText } from './shown-text';
import { GUID_PATTERN } from '../domain/cloud';
import { readArgumentDeclarations } from './hunt-arguments';

/**
 * The hunt file format: Azure-Sentinel hunting-query fields plus ours. Written by hand rather than as a
 * JSON schema so each message names the field and says what is expected.
 */

export const SIGNAL_KINDS = ['filesig', 'process', 'network'] as const;

const SENTINEL_FIELDS = ['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query', 'version'];
/** Sentinel fields we accept so upstream files load, but do not use. */
const IGNORED_SENTINEL_FIELDS = ['entityMappings', 'metadata', 'tags', 'severity', 'description-detailed'];
const OUR_FIELDS = [
  'family',
  'tool',
  'toolName',
  'kind',
  'aliases',
  'upstreamId',
  'timeColumn',
  'entityKey',
  'entityLabel',
  'toolColumn',
  'maxWindow',
  'defaultWindow',
  'parameters',
  'benignScenarios',
  'arguments',
];
export const HUNT_FILE_FIELDS: readonly string[] = [...SENTINEL_FIELDS, ...IGNORED_SENTINEL_FIELDS, ...OUR_FIELDS];

const COMMAND_WORD = /^[a-z0-9][a-z0-9._-]*$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const TACTIC = /^[A-Z][A-Za-z]+$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const PARAMETER_TYPES: readonly HuntParameter['type'][] = ['timespan', 'datetime', 'string', 'long', 'bool'];

const DEFAULT_PARAMETERS: HuntParameter[] = [
  { name: 'TimeStart', type: 'datetime', description: 'Start of the hunt window (inclusive)' },
  { name: 'TimeEnd', type: 'datetime', description: 'End of the hunt window (inclusive)' },
];

export interface HuntSchemaResult {
  hunt?: HuntDefinition;
  problems: string[];
}

/** Checks a parsed hunt file and builds the definition; `problems` is empty when the file is valid. */
export function huntFromDocument(document: unknown, source: string, defaultScenarios: readonly BenignScenario[]): HuntSchemaResult {
  if (!FieldReader.isMapping(document)) return { problems: ['the file must be a YAML mapping of hunt fields'] };
  const reader = new FieldReader(document);
  reader.rejectUnknownKeys(HUNT_FILE_FIELDS);

  const hunt: HuntDefinition = {
    id: reader.string('id', { pattern: GUID_PATTERN, patternHint: 'a GUID' }),
    name: reader.string('name'),
    description: reader.string('description'),
    requiredDataConnectors: dataConnectors(reader),
    tactics: reader.stringList('tactics', { required: true, pattern: TACTIC, patternHint: 'ATT&CK tactic names without spaces' }),
    relevantTechniques: reader.stringList('relevantTechniques', { required: true, pattern: TECHNIQUE, patternHint: 'technique ids like T1219' }),
    query: reader.string('query'),
    version: reader.string('version', { pattern: SEMVER, patternHint: 'a version like 1.0.0', fallback: '1.0.0' }),
    family: reader.string('family', { pattern: COMMAND_WORD, patternHint: 'a lower-case command word' }),
    tool: reader.string('tool', { pattern: COMMAND_WORD, patternHint: 'a lower-case command word' }),
    toolName: reader.string('toolName'),
    kind: reader.string('kind'),
    aliases: reader.stringList('aliases', { pattern: COMMAND_WORD, patternHint: 'lower-case command words' }),
    parameters: parameters(reader),
    timeColumn: reader.string('timeColumn', { pattern: COLUMN, patternHint: 'a column name', fallback: 'Timestamp' }),
    entityKey: reader.string('entityKey', { pattern: COLUMN, patternHint: 'a column name', fallback: 'DeviceId' }),
    entityLabel: reader.string('entityLabel', { pattern: COLUMN, patternHint: 'a column name', fallback: 'DeviceName' }),
    maxWindowMs: duration(reader, 'maxWindow', '30d'),
    defaultWindowMs: duration(reader, 'defaultWindow', '5d'),
    benignScenarios: scenarios(reader, defaultScenarios),
    source,
  };
  const upstreamId = reader.optionalString('upstreamId', { pattern: GUID_PATTERN, patternHint: 'a GUID' });
  if (upstreamId !== undefined) hunt.upstreamId = upstreamId;
  const toolColumn = reader.optionalString('toolColumn', { pattern: COLUMN, patternHint: 'a column name' });
  if (toolColumn !== undefined) hunt.toolColumn = toolColumn;
  const declared = readArgumentDeclarations(reader.raw('arguments'));
  reader.problems.push(...declared.problems);
  if (declared.arguments.length > 0) hunt.arguments = declared.arguments;

  // A hunt about an entity (a lookup) names its own sections as kinds: file, logon, info, …
  if (declared.arguments.length > 0) {
    if (hunt.kind && !COMMAND_WORD.test(hunt.kind)) reader.problem('kind', 'must be a lower-case command word');
  } else if (hunt.kind && !(SIGNAL_KINDS as readonly string[]).includes(hunt.kind)) {
    reader.problem('kind', `must be one of ${SIGNAL_KINDS.join(', ')}`);
  }
  if (hunt.defaultWindowMs > hunt.maxWindowMs) reader.problem('defaultWindow', 'must not be longer than maxWindow');
  if (hunt.aliases.includes(hunt.tool)) reader.problem('aliases', `must not repeat the tool word ${hunt.tool}`);
  if (hunt.query) checkPlaceholders(reader, hunt, declared.placeholders);

  return reader.problems.length > 0 ? { problems: reader.problems } : { hunt, problems: [] };
}

function dataConnectors(reader: FieldReader): HuntDefinition['requiredDataConnectors'] {
  const raw = reader.raw('requiredDataConnectors');
  const valid =
    Array.isArray(raw) &&
    raw.length > 0 &&
    raw.every(
      (item) =>
        FieldReader.isMapping(item) &&
        typeof item.connectorId === 'string' &&
        Array.isArray(item.dataTypes) &&
        item.dataTypes.length > 0 &&
        item.dataTypes.every((table) => typeof table === 'string' && COLUMN.test(table)),
    );
  if (!valid) {
    reader.problem('requiredDataConnectors', 'must be a list of { connectorId: <name>, dataTypes: [<table>, ...] }');
    return [];
  }
  return (raw as Array<{ connectorId: string; dataTypes: string[] }>).map((c) => ({ connectorId: c.connectorId, dataTypes: [...c.dataTypes] }));
}

/** msticpy style: `parameters: { Name: { type, description, default? } }`; TimeStart/TimeEnd are implied. */
function parameters(reader: FieldReader): HuntParameter[] {
  const raw = reader.raw('parameters');
  if (raw === undefined || raw === null) return DEFAULT_PARAMETERS.map((p) => ({ ...p }));
  if (!FieldReader.isMapping(raw)) {
    reader.problem('parameters', 'must be a mapping of parameter name to { type, description, default }');
    return [];
  }
  const list: HuntParameter[] = [];
  for (const [name, spec] of Object.entries(raw)) {
    const field = `parameters.${name}`;
    if (!isParameterName(name)) reader.problem(field, 'must be named with letters, digits and underscores');
    if (!FieldReader.isMapping(spec)) {
      reader.problem(field, 'must be a mapping with type and description');
      continue;
    }
    const specReader = new FieldReader(spec, `${field}.`);
    specReader.rejectUnknownKeys(['type', 'description', 'default']);
    const type = specReader.string('type') as HuntParameter['type'];
    if (type && !PARAMETER_TYPES.includes(type)) specReader.problem('type', `must be one of ${PARAMETER_TYPES.join(', ')}`);
    const parameter: HuntParameter = { name, type, description: specReader.string('description') };
    const fallback = spec.default;
    if (fallback !== undefined && fallback !== null) {
      if (!['string', 'number', 'boolean'].includes(typeof fallback)) specReader.problem('default', 'must be a string, number or boolean');
      else parameter.default = fallback as string | number | boolean;
    }
    reader.problems.push(...specReader.problems);
    list.push(parameter);
  }
  for (const windowName of WINDOW_PARAMETERS) {
    const declared = list.find((p) => p.name === windowName);
    if (!declared) list.unshift({ ...DEFAULT_PARAMETERS.find((p) => p.name === windowName)! });
    else if (declared.type !== 'datetime') reader.problem(`parameters.${windowName}`, 'must have type datetime');
  }
  return list;
}

function duration(reader: FieldReader, field: string, fallback: string): number {
  const text = reader.string(field, { fallback });
  const ms = parseDuration(String(text));
  if (ms === undefined) {
    reader.problem(field, 'must be a duration like 30d or 12h');
    return 0;
  }
  return ms;
}

function scenarios(reader: FieldReader, defaults: readonly BenignScenario[]): BenignScenario[] {
  if (!reader.has('benignScenarios')) return defaults.map((s) => ({ ...s }));
  const { scenarios: extra, problems } = parseBenignScenarios(reader.raw('benignScenarios'), 'benignScenarios');
  reader.problems.push(...problems);
  return mergeBenignScenarios(defaults, extra);
}

/** Every placeholder must be a declared parameter, and the window must actually be used. */
function checkPlaceholders(reader: FieldReader, hunt: HuntDefinition, argumentPlaceholders: readonly string[]): void {
  const used = placeholdersIn(hunt.query);
  for (const name of used) {
    if (!hunt.parameters.some((p) => p.name === name) && !argumentPlaceholders.includes(name)) {
      reader.problem('query', `uses unknown placeholder {{${shownText(name, 40)}}}`);
    }
  }
  for (const argument of hunt.arguments ?? []) {
    if (hunt.parameters.some((p) => p.name === argument.name)) reader.problem(`arguments.${argument.name}`, 'has the name of a parameter');
    const fills = argumentPlaceholders.filter((name) => name === argument.name || name.startsWith(`${argument.name}_`));
    if (!fills.some((name) => used.includes(name))) reader.problem(`arguments.${argument.name}`, `is never used: put {{${argument.name}}} in the query`);
  }
  for (const name of WINDOW_PARAMETERS) {
    if (!used.includes(name)) reader.problem('query', `must use the {{${name}}} placeholder so the requested window applies`);
  }
  for (const parameter of hunt.parameters) {
    const isWindow = (WINDOW_PARAMETERS as readonly string[]).includes(parameter.name);
    if (!isWindow && parameter.default === undefined) {
      reader.problem(`parameters.${parameter.name}`, 'needs a default (only the window is supplied at run time)');
    }
  }
}
