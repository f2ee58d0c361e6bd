import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCommandWith } from '../../src/cli/check-command';
import { validateCommandWith } from '../../src/cli/validate-command';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { CONTOSO_VPN_QUERY, huntFileText } from '../hunts/hunt-fixtures';
import { capturedIO } from '../support/captured-io';

const WORKSPACE_ID = '11111111-2222-3333-4444-555555555555';
const SCHEMA = {
  tables: [{ name: 'ContosoVpn_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Computer', type: 'string' }, { name: 'DeviceId_s', type: 'string' }, { name: 'Client_s', type: 'string' }] }],
  functions: [{ name: 'imProcessCreate', parameters: 'starttime:datetime=datetime(null)', body: 'DeviceProcessEvents | project TimeGenerated, DvcHostname = DeviceName, CommandLine = ProcessCommandLine' }],
};
const CL_QUERY = "ContosoVpn_CL | where Client_s has 'Contoso Remote' | project TimeGenerated, Computer";
const VPN_HUNT = huntFileText({
  id: '6a0f3c2e-1b4d-4e8f-9a7c-2d3e4f5a6b7c',
  tool: 'contosovpn',
  query: CONTOSO_VPN_QUERY,
}).concat('\ntimeColumn: TimeGenerated\n');

describe('huntbot check and validate against another schema', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-cli-'));
  const schemaFile = path.join(dir, 'workspace-schema.json');
  const huntsDir = path.join(dir, 'hunts');
  const check = checkCommandWith({ credential: new FakeTokenCredential() });
  const validate = validateCommandWith({ credential: new FakeTokenCredential() });
  // validate keeps its verdicts on another schema here, shared by this file's tests (restored with the rest of the environment).
  const cacheDir = path.join(dir, 'cache');
  const saved = { ...process.env, HUNT_CACHE_DIR: cacheDir };
  let la: FakeLogAnalyticsServer;

  beforeAll(async () => {
    process.env.HUNT_CACHE_DIR = cacheDir;
    fs.writeFileSync(schemaFile, JSON.stringify(SCHEMA));
    fs.mkdirSync(huntsDir);
    fs.writeFileSync(path.join(huntsDir, 'contoso-vpn.yaml'), VPN_HUNT);
    la = await FakeLogAnalyticsServer.start({ metadata: SCHEMA });
  });

  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    la.failMetadataWith(undefined);
  });

  afterAll(async () => {
    delete process.env.HUNT_CACHE_DIR;
    await la?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function useWorkspace(): void {
    process.env.SENTINEL_WORKSPACE_ID = WORKSPACE_ID;
    process.env.LOG_ANALYTICS_ENDPOINT = la.endpoint;
  }

  test('check --schema FILE knows the file\'s custom table and function on top of the bundled tables', async () => {
    const io = capturedIO();
    expect(await check(['--schema', schemaFile, CL_QUERY], io)).toBe(0);
    expect(io.stdout).toEqual(['OK: no diagnostics']);
    expect(io.stderr).toEqual([`checking against schema file ${schemaFile} (1 table, 1 function)`]);
    expect(await check(['--schema', schemaFile, "imProcessCreate() | where CommandLine has 'x' | join (DeviceRegistryEvents) on $left.DvcHostname == $right.DeviceName"], capturedIO())).toBe(0);
  });

  test('check without it refuses the custom table as unknown', async () => {
    const io = capturedIO();
    expect(await check([CL_QUERY], io)).toBe(1);
    expect(io.stdout[0]).toMatch(/^Error KS204 1:1 .*ContosoVpn_CL/);
  });

  test('check --schema with a file that cannot be read or is not a schema fails with the reason', async () => {
    const io = capturedIO();
    expect(await check(['--schema', path.join(dir, 'missing.json'), CL_QUERY], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^huntbot check: cannot read the schema file .*missing\.json: /);
    const notSchema = path.join(dir, 'not-schema.json');
    fs.writeFileSync(notSchema, '{"value": []}');
    const io2 = capturedIO();
    expect(await check(['--schema', notSchema, CL_QUERY], io2)).toBe(1);
    expect(io2.stderr[0]).toContain('not a schema document');
  });

  test('--schema and --workspace together are a usage error', async () => {
    const io = capturedIO();
    expect(await check(['--schema', schemaFile, '--workspace', CL_QUERY], io)).toBe(2);
    expect(io.stderr[0]).toContain('--schema and --workspace cannot be combined');
  });

  test('check --workspace without the Sentinel settings says what it needs', async () => {
    delete process.env.SENTINEL_WORKSPACE_ID;
    delete process.env.HUNT_BACKEND;
    const io = capturedIO();
    expect(await check(['--workspace', CL_QUERY], io)).toBe(2);
    expect(io.stderr[0]).toContain('--workspace needs the Sentinel settings (SENTINEL_WORKSPACE_ID)');
  });

  test('check --workspace reads the live workspace schema with the credential and checks against it', async () => {
    useWorkspace();
    const io = capturedIO();
    expect(await check(['--workspace', CL_QUERY], io)).toBe(0);
    expect(io.stderr).toEqual([`checking against the schema of workspace ${WORKSPACE_ID} (1 table, 1 function)`]);
    expect(la.metadataReads.at(-1)).toMatchObject({ workspaceId: WORKSPACE_ID, authorized: true });
  });

  test('check --workspace when the API is down fails and says so, never "OK"', async () => {
    useWorkspace();
    la.failMetadataWith(503);
    const io = capturedIO();
    expect(await check(['--workspace', CL_QUERY], io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr[0]).toMatch(new RegExp(`could not read the schema of workspace ${WORKSPACE_ID}: .*HTTP 503`));
  });

  test('validate --schema and --workspace load a hunt over the custom table that the bundled schema refuses', async () => {
    const bundled = capturedIO();
    expect(await validate([huntsDir], bundled)).toBe(1);
    expect(bundled.stderr.join('\n')).toMatch(/contoso-vpn\.yaml: .*KS204/);

    const withFile = capturedIO();
    expect(await validate(['--schema', schemaFile, huntsDir], withFile)).toBe(0);
    expect(withFile.stdout.at(-1)).toMatch(/1 from your folders\); 0 problems; checked against schema file/);

    useWorkspace();
    const live = capturedIO();
    const liveExit = await validate(['--workspace', huntsDir], live);
    expect(live.stderr).toEqual([]);
    expect(liveExit).toBe(0);
    expect(live.stdout.at(-1)).toContain(`checked against the schema of workspace ${WORKSPACE_ID}`);
  });

  test('validate against a schema keeps its verdicts in HUNT_CACHE_DIR, which a later run on the same schema reads', async () => {
    // The test above validated against the file's schema (and the workspace's, the same document) with this cache.
    const keptFile = path.join(cacheDir, 'kql-checks.json');
    const kept = JSON.parse(fs.readFileSync(keptFile, 'utf8')) as Record<string, unknown[]>;
    // One verdict per hunt query, the built-in hunts' and the folder's, all clean.
    expect(Object.keys(kept).length).toBeGreaterThan(200);
    expect(Object.values(kept).every((diagnostics) => Array.isArray(diagnostics) && diagnostics.length === 0)).toBe(true);

    // A verdict the next run can only have read from the file: every kept entry now says KS999.
    const refused = { severity: 'Error', code: 'KS999', message: 'kept verdict', start: 0, length: 1, line: 1, column: 1 };
    fs.writeFileSync(keptFile, JSON.stringify(Object.fromEntries(Object.keys(kept).map((key) => [key, [refused]]))));
    const again = capturedIO();
    expect(await validate(['--schema', schemaFile, huntsDir], again)).toBe(1);
    expect(again.stderr.join('\n')).toMatch(/contoso-vpn\.yaml: .*KS999/);
    // Another schema's verdicts are under another key (test/hunts/query-check-cache.test.ts); the bundled one's come from the build.
    const bundled = capturedIO();
    expect(await validate([huntsDir], bundled)).toBe(1);
    expect(bundled.stderr).toEqual([expect.stringMatching(/contoso-vpn\.yaml: .*KS204/)]);
  });
});
