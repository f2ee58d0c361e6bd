import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/**
 * `huntbot test` through the CLI's entry point (main, as bin/huntbot.js calls it) on the worked example
 * in examples/hunts and on copies of it with broken expectations, fixtures and expect files.
 */

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE_DIR = path.join(ROOT, 'examples/hunts');
const EXAMPLE_HUNT = fs.readFileSync(path.join(EXAMPLE_DIR, 'encoded-powershell.yaml'), 'utf8');
const EXAMPLE_ROWS = fs.readFileSync(path.join(EXAMPLE_DIR, 'encoded-powershell.fixtures/DeviceProcessEvents.jsonl'), 'utf8');
/** An unmodified Azure-Sentinel hunting query: its own ago(7d) window, rows grouped by the mapped account. */
const SENTINEL_HUNT = `id: 7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d
name: Encoded PowerShell by account
description: Accounts that started PowerShell with an encoded command.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
tactics: [Execution]
relevantTechniques: [T1059.001]
query: |
  DeviceProcessEvents
  | where TimeGenerated > ago(7d)
  | where FileName in~ ('powershell.exe', 'pwsh.exe')
  | where ProcessCommandLine matches regex @'(?i)\\s-e(nc|ncodedcommand)?\\s'
  | project TimeGenerated, AccountName, DeviceName
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: Name
        columnName: AccountName
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: DeviceName
`;
// Catalog loads and engine runs on a machine shared with other work: a generous ceiling.
const SLOW = 180_000;

async function huntbot(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * A copy of the example hunt as `<name>.yaml` (its own id and tool word, so copies load side by side)
 * with a fixtures folder holding the given files (none: no fixtures folder).
 */
function addHunt(dir: string, name: string, index: number, fixtures?: Record<string, string>): void {
  const text = EXAMPLE_HUNT.replace(/^id: .*$/m, `id: 6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b${String(index).padStart(2, '0')}`).replace(/^tool: .*$/m, `tool: copy${index}`);
  fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
  if (!fixtures) return;
  fs.mkdirSync(path.join(dir, `${name}.fixtures`));
  for (const [file, content] of Object.entries(fixtures)) fs.writeFileSync(path.join(dir, `${name}.fixtures`, file), content);
}

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-test-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the worked example in examples/hunts', () => {
  let run: { code: number; out: string; err: string };
  beforeAll(async () => {
    run = await huntbot('test', EXAMPLE_DIR);
  }, SLOW);

  test('passes, exit 0', () => {
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^PASS \S*encoded-powershell\.yaml \(Encoded PowerShell command lines\)$/m);
    expect(run.out).toMatch(/^1 hunt tested: 1 passed, 0 failed$/m);
    expect(run.err).toBe('');
  });

  test("says the window it used: the fixtures' first and last time stamps widened by a minute", () => {
    expect(run.out).toContain("window 2026-11-27T09:13:02.000Z .. 2026-11-27T11:31:00.000Z (from the fixtures' time stamps ± 1 minute)");
  });

  test('names what the hunt found', () => {
    expect(run.out).toContain('found: ws-001.contoso.local (d-001)');
  });
});

test('--json gives each hunt\'s outcome, window and findings', async () => {
  const { code, out } = await huntbot('test', EXAMPLE_DIR, '--json');
  expect(code).toBe(0);
  const report = JSON.parse(out) as { outcomes: Array<{ passed: boolean; window: { from: string }; found: string[]; failures: string[] }>; withoutFixtures: string[] };
  expect(report.outcomes).toEqual([expect.objectContaining({ passed: true, window: expect.objectContaining({ from: 'fixtures' }), found: ['ws-001.contoso.local (d-001)'], failures: [] })]);
  expect(report.withoutFixtures).toEqual([]);
}, SLOW);

describe('a folder of hunts whose expectations, fixtures or expect files are wrong', () => {
  let run: { code: number; out: string; err: string };
  const block = (name: string) => new RegExp(`^(?:PASS|FAIL) \\S*${name}\\.yaml[^\\n]*(?:\\n  [^\\n]*)*`, 'm').exec(run.out)?.[0] ?? '';

  beforeAll(async () => {
    const dir = tempDir();
    const rows = { 'DeviceProcessEvents.jsonl': EXAMPLE_ROWS };
    addHunt(dir, 'wrong-expectation', 1, { ...rows, 'expect.yaml': 'hit: [ws-002]\nmiss: [ws-001]\n' });
    addHunt(dir, 'expect-not-a-list', 2, { ...rows, 'expect.yaml': 'hit: ws-001\nmisses: [ws-002]\n' });
    addHunt(dir, 'expect-names-nobody', 3, { ...rows, 'expect.yaml': 'window: {start: 2026-11-27T00:00:00Z, end: 2026-11-28T00:00:00Z}\n' });
    addHunt(dir, 'expect-bad-yaml', 4, { ...rows, 'expect.yaml': 'hit: [ws-001\n' });
    addHunt(dir, 'broken-jsonl', 5, { 'DeviceProcessEvents.jsonl': `${EXAMPLE_ROWS}{"Timestamp":"2026-11-27T12:00:00Z","DeviceId":\n`, 'expect.yaml': 'hit: [ws-001]\n' });
    addHunt(dir, 'no-expect-file', 6, rows);
    addHunt(dir, 'window-misses-the-events', 7, { ...rows, 'expect.yaml': 'hit: [ws-001]\nwindow: {start: 2026-11-27T10:00:00Z, end: 2026-11-27T12:00:00Z}\n' });
    addHunt(dir, 'parameter-raises-the-bar', 8, { ...rows, 'expect.yaml': 'miss: [ws-001]\nparameters: {MinCount: 3}\n' });
    addHunt(dir, 'parameter-of-wrong-type', 9, { ...rows, 'expect.yaml': 'hit: [ws-001]\nparameters: {MinCount: three}\n' });
    addHunt(dir, 'without-fixtures', 10);
    fs.writeFileSync(path.join(dir, 'sentinel-format.yaml'), SENTINEL_HUNT);
    fs.mkdirSync(path.join(dir, 'sentinel-format.fixtures'));
    fs.writeFileSync(path.join(dir, 'sentinel-format.fixtures/DeviceProcessEvents.jsonl'), EXAMPLE_ROWS);
    fs.writeFileSync(path.join(dir, 'sentinel-format.fixtures/expect.yaml'), 'hit: [maria.garcia]\nmiss: [Account:svc-inventory]\n');
    run = await huntbot('test', dir);
  }, SLOW);

  test('fails with exit 1 and counts what passed, failed and was not tested', () => {
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^10 hunts tested: 2 passed, 8 failed; 1 hunt had no fixtures folder/m);
  });

  test('an expectation the hunt does not meet names the entity, both ways', () => {
    expect(block('wrong-expectation')).toMatch(/^FAIL/);
    expect(block('wrong-expectation')).toContain('expected a hit on ws-002, but the hunt did not find it (it found ws-001.contoso.local (d-001))');
    expect(block('wrong-expectation')).toContain('expected no hit on ws-001, but the hunt found it (2 events)');
  });

  test('a malformed expect.yaml is named with the field at fault', () => {
    expect(block('expect-not-a-list')).toMatch(/expect-not-a-list\.fixtures\/expect\.yaml: unknown field 'misses'; field 'hit' must be a list of entity names, e\.g\. \[ws-001\]/);
    expect(block('expect-names-nobody')).toContain('expect.yaml: names no entity: add hit: [<entities the hunt must find>] and/or miss: [<entities it must not find>]');
    expect(block('expect-bad-yaml')).toMatch(/expect-bad-yaml\.fixtures\/expect\.yaml: invalid YAML: /);
    expect(block('no-expect-file')).toMatch(/no-expect-file\.fixtures\/expect\.yaml: missing: the fixtures folder needs an expect\.yaml/);
  });

  test('a broken fixture line fails the hunt, naming the file and line, instead of proving nothing', () => {
    expect(block('broken-jsonl')).toMatch(/^FAIL/);
    expect(block('broken-jsonl')).toMatch(/1 line of DeviceProcessEvents\.jsonl was dropped: .* at DeviceProcessEvents\.jsonl:5/);
  });

  test("expect.yaml's window is used and said so", () => {
    expect(block('window-misses-the-events')).toContain('window 2026-11-27T10:00:00.000Z .. 2026-11-27T12:00:00.000Z (from expect.yaml)');
    expect(block('window-misses-the-events')).toContain('expected a hit on ws-001, but the hunt did not find it (it found nothing)');
  });

  test("expect.yaml's parameter values reach the hunt as typed literals", () => {
    expect(block('parameter-raises-the-bar')).toMatch(/^PASS/);
    expect(block('parameter-of-wrong-type')).toMatch(/parameter-of-wrong-type\.yaml: the hunt failed on its fixtures: parameter MinCount expects a long/);
  });

  test("an Azure-Sentinel query's hits are its first mapped entity, named with or without the entity type", () => {
    expect(block('sentinel-format')).toMatch(/^PASS/);
    expect(block('sentinel-format')).toContain('found: maria.garcia (Account:maria.garcia)');
  });

  test('fixtures folders and their expect.yaml are not read as hunt files', () => {
    expect(run.out).not.toMatch(/does not load/);
  });
});

test('a folder whose hunts have no fixtures says how many had none, exit 1 (nothing was proven)', async () => {
  const dir = tempDir();
  addHunt(dir, 'first', 11);
  addHunt(dir, 'second', 12);
  const { code, out } = await huntbot('test', dir);
  expect(code).toBe(1);
  expect(out).toBe('no hunt was tested; 2 hunts had no fixtures folder (<hunt>.fixtures/ with <Table>.jsonl files and expect.yaml beside the hunt file)');
}, SLOW);

test('a hunt file that does not load fails the run, naming the file', async () => {
  const dir = tempDir();
  addHunt(dir, 'good', 13, { 'DeviceProcessEvents.jsonl': EXAMPLE_ROWS, 'expect.yaml': 'hit: [ws-001]\n' });
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'id: not-a-guid\nname: x\n');
  const { code, out } = await huntbot('test', dir);
  expect(code).toBe(1);
  expect(out).toMatch(/^FAIL \S*broken\.yaml\n {2}does not load: .*id/m);
  expect(out).toMatch(/1 hunt tested: 1 passed, 0 failed; 1 hunt file did not load/);
}, SLOW);

test('a fixtures folder beside no hunt (a misspelt name) fails the run instead of leaving the hunt untested', async () => {
  const dir = tempDir();
  addHunt(dir, 'encoded', 14);
  fs.mkdirSync(path.join(dir, 'encodded.fixtures'));
  fs.writeFileSync(path.join(dir, 'encodded.fixtures/expect.yaml'), 'hit: [ws-001]\n');
  const { code, out } = await huntbot('test', dir);
  expect(code).toBe(1);
  expect(out).toMatch(/^FAIL \S*encodded\.fixtures\n {2}no hunt file encodded\.yaml beside it/m);
  expect(out).toContain('no hunt was tested; 1 fixtures folder beside no hunt; 1 hunt had no fixtures folder');
}, SLOW);

test('without a folder named, the folders of HUNTS_DIR are tested', async () => {
  const saved = process.env.HUNTS_DIR;
  process.env.HUNTS_DIR = EXAMPLE_DIR;
  try {
    const { code, out } = await huntbot('test');
    expect(code).toBe(0);
    expect(out).toMatch(/^PASS \S*encoded-powershell\.yaml/m);
  } finally {
    if (saved === undefined) delete process.env.HUNTS_DIR;
    else process.env.HUNTS_DIR = saved;
  }
}, SLOW);

describe('usage errors exit 2', () => {
  test('a folder that does not exist', async () => {
    const { code, err } = await huntbot('test', path.join(os.tmpdir(), 'no-such-hunts-folder-xyz'));
    expect(code).toBe(2);
    expect(err).toMatch(/^huntbot test: \S*no-such-hunts-folder-xyz is not a folder\. usage: huntbot test/);
  });

  test('no folder named and no HUNTS_DIR', async () => {
    const saved = process.env.HUNTS_DIR;
    delete process.env.HUNTS_DIR;
    try {
      const { code, err } = await huntbot('test');
      expect(code).toBe(2);
      expect(err).toMatch(/^huntbot test: no hunt folder: name one \(huntbot test DIR\) or set HUNTS_DIR/);
    } finally {
      if (saved !== undefined) process.env.HUNTS_DIR = saved;
    }
  });
});

describe('a hunt with typed arguments (a lookup)', () => {
  // The built-in domain lookup as a user's own file: its own id and tool word, so it loads beside the built-in one.
  const DOMAIN_LOOKUP = fs
    .readFileSync(path.join(ROOT, 'src/hunts/lookup/domain-network.yaml'), 'utf8')
    .replace(/^id: .*$/m, 'id: 5e0c7a2b-9d41-4f3e-8a6b-2c1d0e9f8a7b')
    .replace(/^tool: .*$/m, 'tool: my-domain');
  const row = (device: string, url: string) =>
    JSON.stringify({ Timestamp: '2026-11-27T10:00:00Z', DeviceId: `id-${device}`, DeviceName: device, RemoteUrl: url, RemoteIP: '203.0.113.7', InitiatingProcessFileName: 'curl.exe', ReportId: 1 });
  const ROWS = [row('ws-001', 'https://cdn.example.com/x'), row('ws-002', 'https://evil-example.com/')].join('\n') + '\n';

  function lookupFolder(expectText: string): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'domain.yaml'), DOMAIN_LOOKUP);
    fs.mkdirSync(path.join(dir, 'domain.fixtures'));
    fs.writeFileSync(path.join(dir, 'domain.fixtures/DeviceNetworkEvents.jsonl'), ROWS);
    fs.writeFileSync(path.join(dir, 'domain.fixtures/expect.yaml'), expectText);
    return dir;
  }

  test('runs with the value from expect.yaml, validated by its type: the subdomain is hit, the look-alike is not', async () => {
    const run = await huntbot('test', lookupFolder('arguments: { Domain: Example.COM }\nhit: [ws-001]\nmiss: [ws-002]\n'));
    expect(run.out).toMatch(/^PASS /m);
    expect(run.code).toBe(0);
  }, SLOW);

  test('fails and says how to give a missing argument, and refuses a value its type rejects', async () => {
    const missing = await huntbot('test', lookupFolder('hit: [ws-001]\n'));
    expect(missing.code).toBe(1);
    expect(missing.out + missing.err).toContain('argument Domain needs a value: add arguments: { Domain:');
    const hostile = await huntbot('test', lookupFolder("arguments: { Domain: \"example.com' or 1==1\" }\nhit: [ws-001]\n"));
    expect(hostile.code).toBe(1);
    expect(hostile.out + hostile.err).toContain('argument Domain:');
  }, SLOW);
});
