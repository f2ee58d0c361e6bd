import { HuntCatalog } from '../../src/hunts/catalog';
import { checkArgument, type ArgumentType } from '../../src/hunts/argument-types';
import { renderHuntQuery } from '../../src/hunts/render';
import { mergeByEntity } from '../../src/hunts/merge';
import { KqlDatabase, KqlEngine, warmUpKql } from '../../src/kql';
import type { HuntDefinition } from '../../src/domain/hunt-definition';
import { handleLookup } from '../../src/commands/lookup-command';
import { tempHuntsDir } from './hunt-fixtures';
import { EXPECTED, HASH, MD5, SHA1, deviceId, lookupFixtureRows } from '../support/lookup-fixture';
import { runWideQueryChecker } from '../support/run-kql-checks';

/**
 * Detection as code for the lookups: each lookup's hunts (family `lookup`, typed arguments) run through
 * the embedded engine over the hand-written fixture; hits must appear and near-misses must not.
 */
const NOW = new Date('2026-11-28T03:00:00Z');
const engine = new KqlEngine(KqlDatabase.fromRows(lookupFixtureRows(NOW)));
let catalog: HuntCatalog;
/** The analyser, its verdicts on the built-in hunts shared with the run's other full loads. */
const checkQuery = runWideQueryChecker();

beforeAll(async () => {
  await warmUpKql();
  const loaded = HuntCatalog.load({ checkQuery });
  expect(loaded.problems).toEqual([]);
  catalog = loaded.catalog;
});

function lookup(tool: string, type: ArgumentType, text: string): Record<string, Record<string, string[]>> {
  const resolution = catalog.resolve('lookup', tool, 'all');
  if (!resolution.ok) throw new Error(resolution.message);
  const checked = checkArgument(type, text);
  if (!checked.ok) throw new Error(checked.message);
  const parts = resolution.hunts.map((hunt: HuntDefinition) => {
    const name = hunt.arguments![0].name;
    const kql = renderHuntQuery(hunt, { window: { start: new Date(NOW.getTime() - 7 * 86_400_000), end: NOW }, arguments: { [name]: checked.argument } });
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
    return { hunt, result: engine.query(kql, { now: NOW }) };
  });
  const merged = mergeByEntity(parts);
  const byDevice: Record<string, Record<string, string[]>> = {};
  const label = merged.columns.findIndex((c) => c.name === 'DeviceName');
  for (const row of merged.rows) {
    byDevice[String(row[label])] = Object.fromEntries(merged.columns.map((c, i) => [c.name, Array.isArray(row[i]) ? (row[i] as unknown[]).map(String) : [String(row[i])]]));
  }
  return byDevice;
}

describe('the lookup hunts', () => {
  test('are in the catalog as family lookup, one tool per entity kind', () => {
    expect(catalog.tools('lookup').map((t) => t.tool)).toEqual(['device', 'domain', 'hash', 'ip', 'url', 'user']);
    for (const hunt of catalog.hunts().filter((h) => h.family === 'lookup')) expect(hunt.arguments).toHaveLength(1);
  });

  test('lookup hash (SHA256) finds the file, the process and the loaded module, in any case, never the hash one character off', () => {
    const devices = lookup('hash', 'hash', HASH.toUpperCase());
    expect(Object.keys(devices).sort()).toEqual(EXPECTED.hashSha256.hits);
    for (const miss of EXPECTED.hashSha256.misses) expect(devices[miss]).toBeUndefined();
    expect(devices['it-srv-003.contoso.local'].SeenAs).toEqual(['module loaded']);
    // The signer comes from DeviceFileCertificateInfo through the file's SHA1.
    expect(devices['fin-ws-001.contoso.local'].Signers).toEqual([EXPECTED.hashSha256.signer]);
    expect(devices['hr-ws-002.contoso.local'].Signers).toEqual([]);
  });

  test('lookup hash (SHA1) finds a certificate row and names the signer', () => {
    const devices = lookup('hash', 'hash', SHA1);
    expect(Object.keys(devices)).toEqual(EXPECTED.hashSha1.hits);
    expect(devices[EXPECTED.hashSha1.hits[0]].Signers).toEqual([EXPECTED.hashSha1.signer]);
  });

  test('lookup hash (MD5) matches the MD5 column only with the exact value', () => {
    expect(Object.keys(lookup('hash', 'hash', MD5))).toEqual(EXPECTED.hashMd5.hits);
  });

  test('lookup domain matches the domain and its subdomains, never a look-alike that only contains it', () => {
    const devices = lookup('domain', 'domain', 'Example.com');
    expect(Object.keys(devices).sort()).toEqual(EXPECTED.domain.hits);
    expect(devices['sales-ws-006.contoso.local'].RemoteUrls).toEqual(['cdn.example.com']);
  });

  test('lookup url matches the exact host only', () => {
    expect(Object.keys(lookup('url', 'url', 'https://cdn.example.com/other/path'))).toEqual(EXPECTED.url.hits);
  });

  test('lookup ip finds connections to and from the address, never one in another subnet or with a longer last octet', () => {
    const devices = lookup('ip', 'ip', '203.0.113.7');
    expect(Object.keys(devices).sort()).toEqual(EXPECTED.ip.hits);
    expect(devices['sup-ws-010.contoso.local'].Directions).toEqual(['to it']);
    expect(devices['sup-ws-011.contoso.local'].Directions).toEqual(['from it']);
    expect(devices['sup-ws-010.contoso.local'].RemotePorts).toEqual(['8443']);
  });

  test.each(['CONTOSO\\alice', 'alice@contoso.com'])('lookup user %s finds its logons and processes, not the same name in another domain', (account) => {
    const devices = lookup('user', 'account', account);
    expect(Object.keys(devices).sort()).toEqual(EXPECTED.userContoso.hits);
    expect(devices['fin-ws-001.contoso.local'].Signals.sort()).toEqual(['logon', 'process']);
    expect(devices['it-srv-003.contoso.local'].Logons).toEqual(['1 succeeded, 1 failed']);
  });

  test('lookup user with a bare name finds the name in every domain', () => {
    expect(Object.keys(lookup('user', 'account', 'alice')).sort()).toEqual(EXPECTED.userBare.hits);
  });

  test('lookup device shows processes, connections, logons and device info as sections of one row, by short name or id', () => {
    for (const asked of ['fin-ws-001', 'FIN-WS-001.contoso.local', deviceId('fin-ws-001.contoso.local')]) {
      const devices = lookup('device', 'device', asked);
      expect(Object.keys(devices)).toEqual([EXPECTED.device.hit]);
      const row = devices[EXPECTED.device.hit];
      expect(row.Signals.sort()).toEqual(['info', 'logon', 'network', 'process']);
      expect(row.TopProcesses).toEqual(['excel.exe (2)']);
      expect(row.OS).toEqual(['Windows11 24H2 (build 26100)']);
      expect(row.RemoteHosts).toEqual(['login.contoso.com']);
      expect(row.Logons).toEqual(['CONTOSO\\alice RemoteInteractive (1 ok, 0 failed)']);
    }
  });
});

describe('lookups a user adds in HUNTS_DIR', () => {
  const file = (argumentsBlock: string, query = "DeviceProcessEvents\n| where Timestamp between ({{TimeStart}} .. {{TimeEnd}})\n| where ProcessCommandLine has {{Text}}\n| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName") => `id: 7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
name: Lookup - command line text
description: Devices whose command lines contain a text.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
tactics: [Execution]
relevantTechniques: [T1059]
family: lookup
tool: cmdline
toolName: Command line
kind: process
query: |
${query.split('\n').map((l) => `  ${l}`).join('\n')}
${argumentsBlock}`;

  test('load with the same argument types and run through the lookup command', () => {
    const { dir, cleanup } = tempHuntsDir({ 'cmdline.yaml': file('arguments:\n  Text:\n    type: string\n    description: Text in the command line') });
    try {
      const loaded = HuntCatalog.load({ huntsDirs: [dir], checkQuery });
      expect(loaded.problems).toEqual([]);
      const resolution = loaded.catalog.resolve('lookup', 'cmdline', 'all');
      expect(resolution.ok && resolution.hunts[0].arguments).toEqual([{ name: 'Text', type: 'string', description: 'Text in the command line' }]);
      const reply = handleLookup(loaded.catalog, { words: ['cmdline', "it's | take 1"], raw: ['cmdline', "it's|take"] });
      expect(reply.kind).toBe('run-hunt');
    } finally {
      cleanup();
    }
  });

  test('are refused, naming the field, when an argument has an unknown type or is never used', () => {
    const { dir, cleanup } = tempHuntsDir({
      'bad-type.yaml': file('arguments:\n  Text:\n    type: email\n    description: x'),
      'unused.yaml': file('arguments:\n  Text:\n    type: string\n    description: x\n  Other:\n    type: ip\n    description: y').replace('7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e').replace('tool: cmdline', 'tool: cmdline2'),
    });
    try {
      const reasons = HuntCatalog.load({ huntsDirs: [dir], checkQuery }).problems.map((p) => p.reason).join('\n');
      expect(reasons).toContain("field 'arguments.Text.type' must be one of device, sha256");
      expect(reasons).toContain("field 'arguments.Other' is never used: put {{Other}} in the query");
    } finally {
      cleanup();
    }
  });
});

describe('hostile values a lookup accepts', () => {
  test.each([
    ['user', 'account', "o'brien"],
    ['user', 'account', "CONTOSO\\o'brien"],
    ['user', 'account', 'union'],
    ['domain', 'domain', 'ex\u0430mple.com'],
    ['device', 'device', 'take'],
  ] as const)('lookup %s %s stays one literal in a query the parser accepts, and finds nothing it should not', (tool, type, text) => {
    const resolution = catalog.resolve('lookup', tool, 'all');
    if (!resolution.ok) throw new Error(resolution.message);
    const checked = checkArgument(type, text);
    if (!checked.ok) throw new Error(checked.message);
    for (const hunt of resolution.hunts) {
      const kql = renderHuntQuery(hunt, { window: { start: new Date(NOW.getTime() - 86_400_000), end: NOW }, arguments: { [hunt.arguments![0].name]: checked.argument } });
      expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
      expect(engine.query(kql, { now: NOW }).rows).toEqual([]);
    }
  });
});
