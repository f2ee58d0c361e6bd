import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { genDataCommand } from '../../src/cli/gen-data-command';
import { generateTelemetry, telemetryRows } from '../../src/data/generator';
import { loadDataFolder } from '../../src/data/jsonl';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';
import { BUNDLED_SCHEMA } from '../../src/kql/bundled-schema';
import { KqlDatabase, KqlEngine } from '../../src/kql';

const NOW = new Date('2026-11-20T12:00:00Z');
const options = { now: NOW, devices: 60, rows: 60, tables: ['DeviceInfo'], huntingTables: HUNTING_TABLES };
const data = generateTelemetry(options);
let engine: KqlEngine;

beforeAll(() => {
  engine = new KqlEngine(KqlDatabase.fromRows(data));
});

const run = (kql: string) => engine.query(kql, { now: NOW }).rows;
const schemaOf = (table: string) => BUNDLED_SCHEMA.tables.find((t) => t.name === table)!;

describe('sample telemetry for the tables hunts commonly use', () => {
  test('covers every table issue 13 lists beyond the RMM hunts\' four', () => {
    expect([...HUNTING_TABLES].sort()).toEqual(
      [
        'DeviceEvents', 'DeviceRegistryEvents', 'DeviceNetworkInfo', 'DeviceTvmSoftwareInventory', 'DeviceTvmSoftwareVulnerabilities', 'EmailEvents', 'EmailAttachmentInfo',
        'EmailUrlInfo', 'IdentityLogonEvents', 'IdentityQueryEvents', 'IdentityDirectoryEvents', 'CloudAppEvents', 'AlertInfo', 'AlertEvidence', 'UrlClickEvents',
      ].sort(),
    );
    expect(HUNTING_TABLES.filter((t) => !(data[t]?.length > 0))).toEqual([]);
  });

  test.each([...HUNTING_TABLES])('every %s row has every column of the bundled schema, in schema order', (table) => {
    const columns = schemaOf(table).columns.map((c) => c.name).join(',');
    expect(data[table].filter((row) => Object.keys(row).join(',') !== columns)).toEqual([]);
  });

  test('event times are one instant in Timestamp and TimeGenerated, within the 30 days before now', () => {
    for (const table of HUNTING_TABLES.filter((t) => schemaOf(t).columns.some((c) => c.name === 'Timestamp'))) {
      const bad = data[table].filter((row) => {
        const ms = Date.parse(row.Timestamp as string);
        return row.Timestamp !== row.TimeGenerated || !(ms <= NOW.getTime() && ms > NOW.getTime() - 31 * 86_400_000);
      });
      expect([table, bad.length]).toEqual([table, 0]);
    }
  });

  test('is deterministic: the same seed and now give the same rows', () => {
    expect(generateTelemetry(options)).toEqual(data);
  });

  test('leaves the default tables (and gen-data\'s exact row budget) alone unless hunting tables are asked for', () => {
    const tables = new Set([...telemetryRows({ now: NOW, devices: 20, rows: 3000 })].map((r) => r.table));
    expect([...tables].sort()).toEqual(['DeviceFileCertificateInfo', 'DeviceFileEvents', 'DeviceImageLoadEvents', 'DeviceInfo', 'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceProcessEvents']);
  });

  test('tables join as in the service: attachments, links, clicks and alert evidence point at existing mails and alerts', () => {
    expect(run(`EmailAttachmentInfo | join kind=leftanti EmailEvents on NetworkMessageId | count`)).toEqual([[0]]);
    expect(run(`EmailUrlInfo | join kind=leftanti EmailEvents on NetworkMessageId | count`)).toEqual([[0]]);
    expect(run(`UrlClickEvents | join kind=leftanti EmailEvents on NetworkMessageId | count`)).toEqual([[0]]);
    expect(run(`AlertEvidence | join kind=leftanti AlertInfo on AlertId | count`)).toEqual([[0]]);
    expect(run(`DeviceTvmSoftwareVulnerabilities | join kind=leftanti DeviceTvmSoftwareInventory on DeviceId, SoftwareName, SoftwareVersion | count`)).toEqual([[0]]);
  });

  test('a Run-key persistence hunt over DeviceRegistryEvents finds the two planted devices and nothing else', () => {
    const rows = run(`DeviceRegistryEvents
| where Timestamp > ago(5d) and ActionType == "RegistryValueSet"
| where RegistryKey endswith @"\\CurrentVersion\\Run" and RegistryValueData has @"\\AppData\\Local\\Temp\\"
| distinct DeviceName`);
    expect(rows).toHaveLength(2);
  });

  test('a phishing hunt follows the campaign from mail to click to alert', () => {
    const rows = run(`EmailEvents
| where ThreatTypes has "Phish" and DeliveryAction == "Delivered"
| join kind=inner (UrlClickEvents | where IsClickedThrough) on NetworkMessageId
| join kind=inner (AlertEvidence | where EntityType == "MailMessage") on NetworkMessageId
| project RecipientEmailAddress, Url, AlertId`);
    expect(rows).toHaveLength(1);
    expect(String(rows[0][1])).toContain('micros0ft-security.com');
  });

  test('a password-spray hunt over IdentityLogonEvents finds the one outside address', () => {
    const rows = run(`IdentityLogonEvents
| where Timestamp > ago(2d) and ActionType == "LogonFailed"
| summarize Accounts = dcount(AccountUpn) by IPAddress
| where Accounts >= 10`);
    expect(rows).toEqual([['185.220.101.47', 12]]);
  });

  test('a vulnerability hunt joins DeviceTvmSoftwareVulnerabilities to DeviceInfo', () => {
    const rows = run(`DeviceTvmSoftwareVulnerabilities
| where VulnerabilitySeverityLevel in ("Critical", "High")
| join kind=inner (DeviceInfo | summarize arg_max(Timestamp, OSPlatform) by DeviceId) on DeviceId
| summarize Devices = dcount(DeviceId) by CveId`);
    expect(rows.length).toBeGreaterThan(0);
  });

  test('huntbot gen-data --tables writes hunting tables the data loader types by the bundled schema', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-hunting-'));
    try {
      const stdout: string[] = [];
      const io = { out: (t: string) => stdout.push(t), err: () => undefined };
      // --rows: the default 50,000 would all be DeviceInfo snapshots, which is not what this is about.
      const args = ['--out', out, '--devices', '20', '--rows', '200', '--now', NOW.toISOString(), '--tables', 'DeviceInfo,EmailEvents,DeviceRegistryEvents'];
      expect(await genDataCommand(args, io)).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(['DeviceInfo.jsonl', 'DeviceRegistryEvents.jsonl', 'EmailEvents.jsonl']);
      const database = loadDataFolder(out);
      expect(database.notes).toEqual([]);
      expect(database.rowCount('EmailEvents')).toBeGreaterThan(0);
      expect(stdout.join('\n')).toMatch(/EmailEvents\.jsonl: \d+ rows/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
