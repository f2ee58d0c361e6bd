import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openSqlite } from '../../src/stores/sqlite-driver';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { HuntCatalog } from '../../src/hunts/catalog';

/**
 * A folder of unmodified Azure-Sentinel hunting files (no family, tool or kind fields): they load under
 * the folder's family, list, are found by `hunts <filter>`, run over HTTP on the embedded engine and
 * against the Log Analytics fake, group and tag by their mapped entity, and their own windows are
 * rewritten to the requested one (proven by the KQL that reached the workspace).
 */

const HOUR = 3_600_000;
const replyText = (reply: { body: unknown }): string => JSON.stringify((reply.body as { value: unknown }).value);

function sentinelFile(fields: { id: string; name: string; description: string; tactics: string; techniques: string; table: string; query: string; mappings?: string }): string {
  return `id: ${fields.id}
name: ${fields.name}
description: ${fields.description}
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [${fields.table}]
tactics: [${fields.tactics}]
relevantTechniques: [${fields.techniques}]
query: |
${fields.query.split('\n').map((line) => `  ${line}`).join('\n')}
${fields.mappings ? `entityMappings:\n${fields.mappings}` : ''}
version: 1.0.0
kind: Scheduled
metadata:
  source: { kind: Community }
`;
}

const mapping = (type: string, pairs: Array<[string, string]>) =>
  `  - entityType: ${type}\n    fieldMappings:\n${pairs.map(([id, col]) => `      - identifier: ${id}\n        columnName: ${col}`).join('\n')}`;

const FILES: Record<string, string> = {
  'rare-service.yaml': sentinelFile({
    id: 'a1111111-1111-4111-8111-111111111111',
    name: 'Rare process as service',
    description: 'Processes started by services.exe on few hosts.',
    tactics: 'Persistence',
    techniques: 'T1543.003',
    table: 'DeviceProcessEvents',
    query: "let lookback = 7d;\nDeviceProcessEvents\n| where TimeGenerated > ago(lookback)\n| where FileName =~ 'svc-helper.exe'\n| project TimeGenerated, DeviceName, AccountName, ProcessCommandLine",
    mappings: [mapping('Host', [['FullName', 'DeviceName']]), mapping('Account', [['Name', 'AccountName']]), mapping('Process', [['CommandLine', 'ProcessCommandLine']])].join('\n'),
  }),
  'admin-logons.yaml': sentinelFile({
    id: 'a2222222-2222-4222-8222-222222222222',
    name: 'Accounts running admin tools',
    description: 'Accounts that ran admin tools in the last day but not in the baseline.',
    tactics: 'Discovery',
    techniques: 'T1087',
    table: 'DeviceProcessEvents',
    query: "let starttime = 14d;\nlet endtime = 1d;\nDeviceProcessEvents\n| where TimeGenerated between (ago(starttime) .. ago(endtime)) or TimeGenerated > ago(endtime)\n| where FileName =~ 'net.exe'\n| project TimeGenerated, AccountName, DeviceName",
    mappings: mapping('Account', [['Name', 'AccountName']]),
  }),
  'beacon.yaml': sentinelFile({
    id: 'a3333333-3333-4333-8333-333333333333',
    name: 'Beacon to rare domain',
    description: 'Connections to a domain seen on one device only.',
    tactics: 'CommandAndControl',
    techniques: 'T1071',
    table: 'DeviceNetworkEvents',
    query: "DeviceNetworkEvents\n| where TimeGenerated > ago(1d)\n| where RemoteUrl has 'rare-c2.example'\n| project TimeGenerated, RemoteIP, RemoteUrl, DeviceName",
    mappings: [mapping('IP', [['Address', 'RemoteIP']]), mapping('URL', [['Url', 'RemoteUrl']])].join('\n'),
  }),
  'signed.yaml': sentinelFile({
    id: 'a4444444-4444-4444-8444-444444444444',
    name: 'Files signed by a revoked signer',
    description: 'File hashes signed by a signer known to be revoked.',
    tactics: 'DefenseEvasion',
    techniques: 'T1553.002',
    table: 'DeviceFileCertificateInfo',
    query: "let starttime = ago(14d);\nDeviceFileCertificateInfo\n| where TimeGenerated > starttime\n| where Signer has 'Revoked Signer'\n| project TimeGenerated, SHA1, DeviceName",
    mappings: mapping('FileHash', [['Algorithm', 'SHA1'], ['Value', 'SHA1']]),
  }),
  'inventory.yaml': sentinelFile({
    id: 'a5555555-5555-4555-8555-555555555555',
    name: 'Device inventory',
    description: 'Operating systems of devices.',
    tactics: 'Discovery',
    techniques: 'T1082',
    table: 'DeviceInfo',
    query: 'DeviceInfo\n| where TimeGenerated > ago(30d)\n| project DeviceName, OSPlatform',
  }),
  'registry.yaml': sentinelFile({
    id: 'a6666666-6666-4666-8666-666666666666',
    name: 'Run key added',
    description: 'Run keys, on a table this workspace schema does not know.',
    tactics: 'Persistence',
    techniques: 'T1547.001',
    table: 'ContosoRegistry_CL',
    query: 'ContosoRegistry_CL\n| where TimeGenerated > ago(7d)\n| project DeviceName, RegistryKey',
    mappings: mapping('Host', [['FullName', 'DeviceName']]),
  }),
  'not-yaml.yaml': 'id: [unclosed\nname: broken',
};

function rows(now: number): Record<string, Array<Record<string, unknown>>> {
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const stamp = (hoursAgo: number) => ({ Timestamp: at(hoursAgo), TimeGenerated: at(hoursAgo) });
  return {
    DeviceProcessEvents: [
      { ...stamp(2), DeviceId: 'd1', DeviceName: 'ws-001.contoso.local', FileName: 'svc-helper.exe', AccountName: 'alice', ProcessCommandLine: 'svc-helper.exe --install' },
      { ...stamp(5), DeviceId: 'd1', DeviceName: 'ws-001.contoso.local', FileName: 'svc-helper.exe', AccountName: 'system', ProcessCommandLine: 'svc-helper.exe --run' },
      { ...stamp(30), DeviceId: 'd2', DeviceName: 'ws-002.contoso.local', FileName: 'svc-helper.exe', AccountName: 'bob', ProcessCommandLine: 'svc-helper.exe --run' },
      // Older than a 3-day window, inside the file's own 7 days: only a rewritten window leaves it out.
      { ...stamp(5 * 24), DeviceId: 'd3', DeviceName: 'ws-003.contoso.local', FileName: 'svc-helper.exe', AccountName: 'carol', ProcessCommandLine: 'svc-helper.exe' },
      { ...stamp(3), DeviceId: 'd2', DeviceName: 'ws-002.contoso.local', FileName: 'net.exe', AccountName: 'mallory', ProcessCommandLine: 'net group "domain admins"' },
    ],
    DeviceNetworkEvents: [
      { ...stamp(1), DeviceId: 'd1', DeviceName: 'ws-001.contoso.local', RemoteIP: '203.0.113.7', RemoteUrl: 'beacon.rare-c2.example', RemotePort: 443 },
      { ...stamp(40), DeviceId: 'd2', DeviceName: 'ws-002.contoso.local', RemoteIP: '203.0.113.9', RemoteUrl: 'beacon.rare-c2.example', RemotePort: 443 },
    ],
    DeviceFileCertificateInfo: [{ ...stamp(4), DeviceId: 'd1', DeviceName: 'ws-001.contoso.local', SHA1: 'ab'.repeat(20), Signer: 'Revoked Signer Ltd', ReportId: 1 }],
    DeviceInfo: [
      { ...stamp(6), DeviceId: 'd1', DeviceName: 'ws-001.contoso.local', OSPlatform: 'Windows11' },
      { ...stamp(6), DeviceId: 'd2', DeviceName: 'ws-002.contoso.local', OSPlatform: 'Windows10' },
    ],
  };
}

let root: string;
let huntsDir: string;
let dataDir: string;
const alice = defaultIdentity('Alice');

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sentinel-files-'));
  huntsDir = path.join(root, 'hunting');
  dataDir = path.join(root, 'data');
  fs.mkdirSync(huntsDir);
  fs.mkdirSync(dataDir);
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(huntsDir, name), text);
  for (const [table, list] of Object.entries(rows(Date.now()))) fs.writeFileSync(path.join(dataDir, `${table}.jsonl`), list.map((r) => JSON.stringify(r)).join('\n'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function huntCard(harness: BotHarness, text: string): Promise<{ id: string; card: Record<string, unknown> }> {
  const before = harness.sent().length;
  await harness.say(text, alice);
  const running = harness.sent().slice(before).find((a) => isRunningCard(cardOf(a.activity)));
  if (!running) throw new Error(`no running card for "${text}": ${harness.lastText()}`);
  await harness.app.runs.idle();
  return { id: running.id, card: harness.card(running.id)! };
}

describe('loading a folder of unmodified Azure-Sentinel hunting files', () => {
  test('each good file becomes a hunt of the folder family with a slug of its name; each bad one is reported with its reason', () => {
    const { catalog, problems } = HuntCatalog.load({ huntFolders: [{ dir: huntsDir, family: 'sentinel' }] });
    expect(catalog.tools('sentinel').map((t) => t.tool)).toEqual([
      'accounts-running-admin-tools',
      'beacon-to-rare-domain',
      'device-inventory',
      'files-signed-by-a-revoked-signer',
      'rare-process-as-service',
    ]);
    const reasons = Object.fromEntries(problems.map((p) => [path.basename(p.path), p.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['not-yaml.yaml', 'registry.yaml']);
    expect(reasons['registry.yaml']).toMatch(/^query does not pass KQL analysis: .*ContosoRegistry_CL/);
    expect(reasons['not-yaml.yaml']).toMatch(/^invalid YAML/);
  });

  test('a plain HUNTS_DIR folder gets the family hunts', () => {
    const { catalog } = HuntCatalog.load({ huntsDirs: [huntsDir], checkQuery: () => [] });
    expect(catalog.resolve('hunts', 'rare-process-as-service')).toMatchObject({ ok: true });
  });
});

describe('on the embedded engine, over HTTP', () => {
  let harness: BotHarness;
  beforeAll(async () => {
    harness = await BotHarness.start({ HUNT_DATA_DIR: dataDir, HUNTS_DIR: `sentinel=${huntsDir}`, HUNT_STORE_PATH: path.join(root, 'local.db'), HUNT_RESULT_TTL_SECONDS: '0' });
  });
  afterAll(async () => harness?.stop());

  test('hunts lists them and hunts <filter> finds them by tactic, technique and description', async () => {
    await harness.say('hunts sentinel', alice);
    const listing = JSON.stringify(harness.sent().at(-1)?.activity);
    expect(listing).toContain('sentinel rare-process-as-service');
    expect(listing).toContain('sentinel device-inventory');
    for (const [filter, tool] of [
      ['persistence', 'rare-process-as-service'],
      ['T1071', 'beacon-to-rare-domain'],
      ['revoked', 'files-signed-by-a-revoked-signer'],
    ]) {
      await harness.say(`hunts ${filter}`, alice);
      expect(JSON.stringify(harness.sent().at(-1)?.activity)).toContain(`sentinel ${tool}`);
    }
  });

  test('rows group by the mapped host, the card names hosts, and a tag keys on Host:<name> and hides it next time', async () => {
    const { id, card } = await huntCard(harness, 'hunt sentinel rare-process-as-service 3d');
    const text = cardText(card);
    expect(text).toContain('Hosts');
    expect(text).toContain('ws-001.contoso.local');
    expect(text).toContain('ws-002.contoso.local');
    expect(text).not.toContain('ws-003.contoso.local'); // five days old: outside the rewritten 3-day window
    expect(text).toContain('Account: alice');
    const runId = JSON.stringify(card).match(/"runId":"([^"]+)"/)![1];
    await harness.execute(id, 'hit.tag.save', { runId, deviceId: 'Host:ws-001.contoso.local', scenario: 'backup-job' }, alice);
    await harness.say('exclusions sentinel', alice);
    expect(JSON.stringify(harness.sent().at(-1)?.activity)).toContain('sentinel/rare-process-as-service');
    const db = openSqlite(path.join(root, 'local.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT search_key FROM exclusions').all().map((row) => ({ ...(row as object) }))).toEqual([{ search_key: 'sentinel/rare-process-as-service|Host:ws-001.contoso.local' }]);
    } finally {
      db.close();
    }
    const again = await huntCard(harness, 'hunt sentinel rare-process-as-service 3d');
    expect(cardText(again.card)).toContain('1 host hidden as benign');
  });

  test('IP, file hash and account mappings name their rows; a query without mappings is an untaggable table', async () => {
    expect(cardText((await huntCard(harness, 'hunt sentinel beacon-to-rare-domain 3d')).card)).toMatch(/IP addresses[\s\S]*203\.0\.113\.7[\s\S]*URL: beacon\.rare-c2\.example/);
    expect(cardText((await huntCard(harness, 'hunt sentinel files-signed-by-a-revoked-signer 3d')).card)).toContain('ab'.repeat(20));
    expect(cardText((await huntCard(harness, 'hunt sentinel accounts-running-admin-tools 3d')).card)).toContain('mallory');
    const table = await huntCard(harness, 'hunt sentinel device-inventory 3d');
    expect(cardText(table.card)).toContain('has no entityMappings');
    expect(cardText(table.card)).toMatch(/ws-001\.contoso\.local[\s\S]*OSPlatform: Windows11/);
    expect(JSON.stringify(table.card)).not.toContain('hit.tag');
  });

  test('refuses a past absolute window for a query that counts back from now, instead of searching the wrong days', async () => {
    const before = harness.sent().length;
    await harness.say('hunt sentinel rare-process-as-service 2026-11-01T00:00Z..2026-11-02T00:00Z', alice);
    const replies = harness.sent().slice(before);
    expect(replies.some((a) => isRunningCard(cardOf(a.activity)))).toBe(false);
    expect(JSON.stringify(replies.at(-1)?.activity)).toContain('cannot search a window that ended in the past');
  });

  test('`since <datetime>` on such a query searches from that instant to now', async () => {
    const since = new Date(Date.now() - 3 * 24 * HOUR).toISOString().slice(0, 16);
    const text = cardText((await huntCard(harness, `hunt sentinel rare-process-as-service since ${since}Z`)).card);
    expect(text).toContain('ws-002.contoso.local');
    expect(text).not.toContain('ws-003.contoso.local'); // five days old: before the `since` instant
  });

  test('a query without mappings offers no "Tag all on this page", and the tag-all and bookmark verbs refuse its rows, writing nothing', async () => {
    const table = await huntCard(harness, 'hunt sentinel device-inventory 3d');
    expect(JSON.stringify(table.card)).not.toMatch(/results\.tagpage|hit\.bookmark|hit\.incident/);
    const runId = JSON.stringify(table.card).match(/"runId":"([^"]+)"/)![1];
    const refusal = /Rows of this result cannot be (tagged|bookmarked or added to an incident): .*has no entityMappings/;
    const form = await harness.execute(table.id, 'results.tagpage', { runId, page: 0 }, alice);
    expect(replyText(form)).toMatch(refusal);
    const save = await harness.execute(table.id, 'results.tagpage.save', { runId, deviceIds: 'row:1\nrow:2', scenario: 'backup-job', justification: 'inventory' }, alice);
    expect(replyText(save)).toMatch(refusal);
    const confirm = await harness.execute(table.id, 'results.tagpage.confirm', { runId, deviceIds: 'row:1', scenario: 'backup-job' }, alice);
    expect(replyText(confirm)).toMatch(refusal);
    for (const verb of ['hit.bookmark', 'hit.bookmark.save', 'hit.incident', 'hit.incident.save']) {
      expect(replyText(await harness.execute(table.id, verb, { runId, deviceId: 'row:1', note: 'x', incidentNumber: '7' }, alice))).toMatch(refusal);
    }
    const db = openSqlite(path.join(root, 'local.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT search_key FROM exclusions WHERE search_key LIKE '%row:%'").all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('refuses `on <device>` for a query it runs as written, instead of running it unscoped', async () => {
    await harness.say('hunt sentinel rare-process-as-service 3d on ws-001', alice);
    expect(JSON.stringify(harness.sent().at(-1)?.activity)).toContain('works only with the bot');
  });
});

describe('in Sentinel mode, against the Log Analytics fake', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  beforeAll(async () => {
    la = await FakeLogAnalyticsServer.start({ dataset: { tables: rows(Date.now()) } });
    harness = await BotHarness.start(
      {
        SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
        LOG_ANALYTICS_ENDPOINT: la.endpoint,
        HUNTS_DIR: `sentinel=${huntsDir}`,
        HUNT_STORE_PATH: path.join(root, 'sentinel.db'),
        HUNT_RESULT_TTL_SECONDS: '0',
      },
      { credential: new FakeTokenCredential() },
    );
  });
  afterAll(async () => {
    await harness?.stop();
    await la?.close();
  });

  test('each recognisable window shape reaches the workspace rewritten to the requested window, with the API timespan', async () => {
    const cases: Array<[string, string, string]> = [
      ['rare-process-as-service', 'let lookback = 2d;', 'let lookback = 7d;'],
      ['files-signed-by-a-revoked-signer', 'let starttime = ago(2d);', 'ago(14d)'],
      ['beacon-to-rare-domain', 'TimeGenerated > ago(2d)', 'ago(1d)'],
    ];
    for (const [tool, rewritten, original] of cases) {
      const { card } = await huntCard(harness, `hunt sentinel ${tool} 2d`);
      const sent = la.requests[la.requests.length - 1];
      expect(sent.query).toContain(rewritten);
      expect(sent.query).not.toContain(original);
      expect(sent.timespan).toMatch(/^\d{4}-\d{2}-\d{2}T.*\/\d{4}-\d{2}-\d{2}T/);
      expect(cardText(card)).not.toContain('ran as written');
    }
  });

  test('`since <datetime>` reaches the workspace as the distance from that instant to now; a past window never does', async () => {
    const since = new Date(Date.now() - 2 * 24 * HOUR).toISOString().slice(0, 16);
    await huntCard(harness, `hunt sentinel rare-process-as-service since ${since}Z`);
    const lookback = /let lookback = (\d+)(ms|s|m|h|d);/.exec(la.requests[la.requests.length - 1].query);
    const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR };
    const lookbackMs = Number(lookback?.[1]) * unitMs[lookback?.[2] ?? 'd'];
    expect(lookbackMs).toBeGreaterThanOrEqual(2 * 24 * HOUR - 60_000);
    expect(lookbackMs).toBeLessThan(2 * 24 * HOUR + 5 * 60_000);
    const sentBefore = la.requests.length;
    await harness.say('hunt sentinel rare-process-as-service 2026-11-01T00:00Z..2026-11-02T00:00Z', alice);
    expect(la.requests.length).toBe(sentBefore);
    expect(harness.lastText()).toContain('cannot search a window that ended in the past');
  });

  test('a query with a baseline and a detection window runs as written, and the card says which window it applies', async () => {
    const { card } = await huntCard(harness, 'hunt sentinel accounts-running-admin-tools 2d');
    const sent = la.requests[la.requests.length - 1];
    expect(sent.query).toContain('let starttime = 14d;');
    expect(sent.query).toContain('let endtime = 1d;');
    expect(cardText(card)).toContain('applies its own time window (14d, 1d), so it ran as written');
    expect(cardText(card)).toContain('mallory');
  });

  test('results group by the mapped entity in Sentinel mode too', async () => {
    const { card } = await huntCard(harness, 'hunt sentinel beacon-to-rare-domain 3d');
    const text = cardText(card);
    expect(text).toContain('IP addresses');
    expect(text).toContain('203.0.113.7');
    expect(text).toContain('203.0.113.9');
  });
});
