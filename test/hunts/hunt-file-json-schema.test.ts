import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { loadDefaultBenignScenarios } from '../../src/hunts/benign-scenarios';
import { huntFromDocument } from '../../src/hunts/hunt-schema';
import { builtinHuntsDir } from '../../src/hunts/package-paths';
import { HUNT_FILE_SCHEMA, NO_HUNT_SCHEMA, schemaPath } from '../../src/hunts/schema-problems';
import { huntFileText } from './hunt-fixtures';

/**
 * The hunt file schema is a published file (`schemas/hunt-file.schema.json`) that editors use; these
 * tests read it the way an editor would (a plain ajv, no code of ours) and check what authors are told.
 */

const scenarios = loadDefaultBenignScenarios();
const readSchema = (file: string) => JSON.parse(fs.readFileSync(schemaPath(file), 'utf8')) as Record<string, unknown>;
const rmmDir = path.join(builtinHuntsDir(), 'rmm');
const SECRET = 'hunter2-TOP-SECRET';

/** An editor's view: draft-07, unknown annotation keywords ignored. */
function editorValidator(file: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(readSchema(file));
}

function problemsOf(text: string, family?: string): string[] {
  return huntFromDocument(parse(text), 'test', scenarios, { family }).problems;
}

const SENTINEL_FILE = `id: 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9
name: Rare process run as a service
description: Processes started by services.exe that few devices run.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
tactics: [Persistence]
relevantTechniques: [T1543.003]
query: |
  DeviceProcessEvents | where TimeGenerated > ago(1d) | project TimeGenerated, DeviceName
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: DeviceName
version: 1.0.0
kind: Scheduled
tags: [Example]
metadata:
  source: { kind: Community }
`;

describe('the published hunt file schema', () => {
  test('is a valid draft-07 JSON Schema, and so is the no-hunt schema', () => {
    const ajv = new Ajv({ strict: false });
    for (const file of [HUNT_FILE_SCHEMA, NO_HUNT_SCHEMA]) {
      const schema = readSchema(file);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(ajv.validateSchema(schema)).toBe(true);
    }
  });

  test('every built-in hunt, the no-hunt file and the default scenarios validate against it as an editor reads it', () => {
    const validateHunt = editorValidator(HUNT_FILE_SCHEMA);
    const files = fs.readdirSync(rmmDir).filter((name) => name.endsWith('.yaml') && !name.startsWith('_'));
    expect(files.length).toBeGreaterThan(100);
    const invalid = files.filter((name) => !validateHunt(parse(fs.readFileSync(path.join(rmmDir, name), 'utf8'))));
    expect(invalid).toEqual([]);
    expect(editorValidator(NO_HUNT_SCHEMA)(parse(fs.readFileSync(path.join(rmmDir, '_no-hunt.yaml'), 'utf8')))).toBe(true);
    const scenarioSchema: Record<string, unknown> = { ...readSchema(HUNT_FILE_SCHEMA), $ref: '#/definitions/benignScenarios' };
    for (const key of ['if', 'then', 'else', 'type']) delete scenarioSchema[key];
    const validateScenarios = new Ajv({ strict: false }).compile(scenarioSchema);
    expect(validateScenarios(parse(fs.readFileSync(path.join(builtinHuntsDir(), 'benign-scenarios.yaml'), 'utf8')))).toBe(true);
  });

  test('an unmodified Azure-Sentinel hunting query validates, in the editor and in the bot', () => {
    expect(editorValidator(HUNT_FILE_SCHEMA)(parse(SENTINEL_FILE))).toBe(true);
    expect(problemsOf(SENTINEL_FILE)).toEqual([]);
  });

  test('the editor rejects what the bot rejects: a bot-format file with a kind outside the three', () => {
    const text = huntFileText().replace('kind: filesig', 'kind: registry');
    expect(editorValidator(HUNT_FILE_SCHEMA)(parse(text))).toBe(false);
    expect(problemsOf(text)).toEqual(["field 'kind' must be one of filesig, process, network"]);
  });
});

describe('broken and hostile files get specific messages naming the field', () => {
  test('a wrong entity type and a mapping without its column are named by position', () => {
    const text = SENTINEL_FILE.replace('entityType: Host', 'entityType: Hostname').replace('        columnName: DeviceName\n', '');
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/^field 'entityMappings\[0\]\.entityType' must be one of Account, Host, IP, URL, FileHash/),
      "field 'entityMappings[0].fieldMappings[0].columnName' is required",
    ]);
  });

  test('an Azure-Sentinel file is told which of our fields it may not use without a family', () => {
    expect(problemsOf(`${SENTINEL_FILE}tool: rareservice\n`)).toEqual(["unknown field 'tool'"]);
  });

  test('a bot-format file missing its command words is told each one', () => {
    const text = huntFileText().replace(/^tool: .*\n/m, '').replace(/^toolName: .*\n/m, '');
    expect(problemsOf(text)).toEqual(["field 'tool' is required", "field 'toolName' is required"]);
  });

  test('values of the wrong type are named with what is expected, and the value is never quoted', () => {
    const text = SENTINEL_FILE.replace('id: 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9', `id: ${SECRET}`)
      .replace('tactics: [Persistence]', `tactics: [${SECRET}]`)
      .replace('version: 1.0.0', `version: { nested: ${SECRET} }`);
    const problems = problemsOf(text);
    expect(problems).toEqual([
      "field 'id' must be a GUID",
      "field 'tactics[0]' must be an ATT&CK tactic name without spaces, like CommandAndControl",
      "field 'version' must be a version like 1.0.0",
    ]);
    expect(problems.join(' ')).not.toContain(SECRET);
  });

  test('a file of many unknown keys names five and counts the rest; hostile key names are cleaned', () => {
    const keys = Array.from({ length: 9 }, (_, i) => `junk${i}: x`).join('\n');
    const problems = problemsOf(`${SENTINEL_FILE}${keys}\n"evil\\u202Ekey\\nforged": 1\n`);
    expect(problems.slice(0, 5)).toEqual(['junk0', 'junk1', 'junk2', 'junk3', 'junk4'].map((k) => `unknown field '${k}'`));
    expect(problems[5]).toBe('and 5 more unknown fields');
    expect(problems.join('')).not.toMatch(/[\u202E\n]/);
  });

  test('a parameter with a bad name and a bad type are named as parameters.<name>', () => {
    const extra = 'parameters:\n  "bad name": { type: string, description: x, default: a }\n  Vendor: { type: text, description: vendor, default: a }';
    expect(problemsOf(huntFileText({ extra }))).toEqual([
      "field 'parameters.bad name' must be named with letters, digits and underscores",
      "field 'parameters.Vendor.type' must be one of timespan, datetime, string, long, bool",
    ]);
  });

  test('a file that is not a mapping says so', () => {
    expect(problemsOf('- just\n- a list\n')).toEqual(['the file must be a YAML mapping of hunt fields']);
  });
});
