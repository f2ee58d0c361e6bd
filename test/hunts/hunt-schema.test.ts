import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadDefaultBenignScenarios } from '../../src/hunts/benign-scenarios';
import { huntFromDocument } from '../../src/hunts/hunt-schema';
import { builtinHuntsDir } from '../../src/hunts/package-paths';
import { huntFileText } from './hunt-fixtures';

const scenarios = loadDefaultBenignScenarios();
const rmmDir = path.join(builtinHuntsDir(), 'rmm');
const huntFiles = fs.readdirSync(rmmDir).filter((name) => name.endsWith('.yaml') && !name.startsWith('_'));

function problemsOf(text: string): string[] {
  return huntFromDocument(parse(text), 'test', scenarios).problems;
}

describe('every built-in hunt file', () => {
  test('there are hunt files to check', () => {
    expect(huntFiles.length).toBeGreaterThan(100);
  });

  test.each(huntFiles)('%s follows the hunt file schema', (name) => {
    const document = parse(fs.readFileSync(path.join(rmmDir, name), 'utf8'));
    const { hunt, problems } = huntFromDocument(document, 'builtin', scenarios);
    expect(problems).toEqual([]);
    expect(hunt?.tactics).toEqual(['CommandAndControl']);
    expect(hunt?.relevantTechniques).toEqual(['T1219']);
    expect(hunt?.query).toMatch(/\{\{TimeStart\}\}[\s\S]*\{\{TimeEnd\}\}/);
    expect(name).toBe(`${hunt?.tool}-${hunt?.kind}.yaml`);
  });
});

describe('the schema reports what is wrong and where', () => {
  test('a minimal file is valid and gets the documented defaults', () => {
    const { hunt, problems } = huntFromDocument(parse(huntFileText()), 'test', scenarios);
    expect(problems).toEqual([]);
    expect(hunt).toMatchObject({ timeColumn: 'Timestamp', entityKey: 'DeviceId', entityLabel: 'DeviceName', maxWindowMs: 30 * 86_400_000, defaultWindowMs: 5 * 86_400_000, aliases: [] });
    expect(hunt?.parameters.map((p) => `${p.name}:${p.type}`)).toEqual(['TimeStart:datetime', 'TimeEnd:datetime']);
    expect(hunt?.benignScenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
  });

  test('a missing required field is named', () => {
    expect(problemsOf(huntFileText().replace(/^name: .*$/m, ''))).toContain("field 'name' is required");
  });

  test('upstream-style scalar tactics are rejected in favour of lists', () => {
    expect(problemsOf(huntFileText().replace('tactics: [CommandAndControl]', 'tactics: CommandAndControl'))).toContain(
      "field 'tactics' must be a list of non-empty strings",
    );
  });

  test('an unknown field is reported, so typos are not silently ignored', () => {
    expect(problemsOf(huntFileText({ extra: 'tactic: [Persistence]' }))).toContain("unknown field 'tactic'");
  });

  test('a kind outside filesig, process and network is rejected', () => {
    expect(problemsOf(huntFileText().replace('kind: filesig', 'kind: registry'))).toEqual([
      expect.stringContaining("field 'kind' must be one of filesig, process, network"),
    ]);
  });

  test('a query that ignores the window is rejected', () => {
    const query = 'DeviceFileCertificateInfo\n| summarize Count=count() by DeviceId, DeviceName';
    expect(problemsOf(huntFileText({ query }))).toEqual([
      "field 'query' must use the {{TimeStart}} placeholder so the requested window applies",
      "field 'query' must use the {{TimeEnd}} placeholder so the requested window applies",
    ]);
  });

  test('a placeholder that is not a declared parameter is rejected', () => {
    const query = `let s = {{TimeStart}}; let e = {{TimeEnd}};\nDeviceFileCertificateInfo | where Signer has {{Vendor}}`;
    expect(problemsOf(huntFileText({ query }))).toContain("field 'query' uses unknown placeholder {{Vendor}}");
  });

  test('window parameters must be datetimes and other parameters need defaults', () => {
    const extra = 'parameters:\n  TimeStart: { type: string, description: start }\n  Vendor: { type: string, description: vendor }';
    expect(problemsOf(huntFileText({ extra }))).toEqual([
      "field 'parameters.TimeStart' must have type datetime",
      "field 'parameters.Vendor' needs a default (only the window is supplied at run time)",
    ]);
  });

  test('windows must be durations and the default must fit in the maximum', () => {
    expect(problemsOf(huntFileText({ extra: 'maxWindow: a month' }))).toContain(`field 'maxWindow' must be a duration like 30d or 12h`);
    expect(problemsOf(huntFileText({ extra: 'maxWindow: 2d\ndefaultWindow: 5d' }))).toContain("field 'defaultWindow' must not be longer than maxWindow");
  });

  test('a hunt may add a benign scenario and reword a default one', () => {
    const extra = [
      'benignScenarios:',
      '  - id: helpdesk-session',
      '    title: Helpdesk session',
      '    description: The service desk connected at the user’s request.',
      '  - id: backup-job',
      '    title: Nightly backup through the agent',
      '    description: The agent runs the nightly backup.',
    ].join('\n');
    const { hunt } = huntFromDocument(parse(huntFileText({ extra })), 'test', scenarios);
    const ids = hunt?.benignScenarios.map((s) => s.id) ?? [];
    expect(ids.slice(-2)).toEqual(['helpdesk-session', 'other']);
    expect(hunt?.benignScenarios.find((s) => s.id === 'backup-job')?.title).toBe('Nightly backup through the agent');
  });
});
