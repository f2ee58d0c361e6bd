import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { completeRow } from '../../src/data/table-rows';

/**
 * A hand-written data folder for the lookups: for each lookup, devices that must appear (hits) and
 * devices that differ in one small way and must not (near-misses): a hash one character off, a
 * look-alike domain, an IP in another subnet, the same account name in another domain, a device
 * whose name only starts like the one asked about.
 */
export const HASH = 'a'.repeat(8) + createHash('sha256').update('lookup-fixture').digest('hex').slice(8);
export const HASH_NEAR = `${HASH.slice(0, 63)}${HASH[63] === '0' ? '1' : '0'}`;
export const SHA1 = createHash('sha1').update('lookup-fixture-sha1').digest('hex');
export const MD5 = createHash('md5').update('lookup-fixture-md5').digest('hex');
/** The SHA1 of the file with HASH on fin-ws-001, whose signer only DeviceFileCertificateInfo knows. */
export const HASH_FILE_SHA1 = createHash('sha1').update('other').digest('hex');

export function deviceId(name: string): string {
  return createHash('sha1').update(`device/${name}`).digest('hex');
}

/** What each lookup must find, and the near-misses it must not. */
export const EXPECTED = {
  hashSha256: { hits: ['fin-ws-001.contoso.local', 'hr-ws-002.contoso.local', 'it-srv-003.contoso.local'], misses: ['eng-ws-004.contoso.local'], signer: 'Dropper Signing Co' },
  hashSha1: { hits: ['ops-ws-009.contoso.local'], signer: 'Evil Signer Ltd', misses: ['fin-ws-001.contoso.local'] },
  hashMd5: { hits: ['hr-ws-002.contoso.local'], misses: ['it-srv-003.contoso.local'] },
  domain: { hits: ['mkt-ws-005.contoso.local', 'sales-ws-006.contoso.local'], misses: ['legal-ws-007.contoso.local', 'rnd-ws-008.contoso.local'] },
  url: { hits: ['sales-ws-006.contoso.local'], misses: ['mkt-ws-005.contoso.local', 'legal-ws-007.contoso.local', 'rnd-ws-008.contoso.local'] },
  ip: { hits: ['sup-ws-010.contoso.local', 'sup-ws-011.contoso.local'], misses: ['sup-ws-012.contoso.local'] },
  userContoso: { hits: ['fin-ws-001.contoso.local', 'it-srv-003.contoso.local'], misses: ['hr-ws-002.contoso.local', 'eng-ws-004.contoso.local'] },
  userBare: { hits: ['fin-ws-001.contoso.local', 'hr-ws-002.contoso.local', 'it-srv-003.contoso.local'], misses: ['eng-ws-004.contoso.local'] },
  device: { hit: 'fin-ws-001.contoso.local', misses: ['fin-ws-0010.contoso.local'] },
};

const HOUR = 3_600_000;

export function lookupFixtureRows(now: Date): Record<string, Array<Record<string, unknown>>> {
  let report = 1;
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR).toISOString();
  const base = (device: string, hours: number) => ({ Timestamp: ago(hours), TimeGenerated: ago(hours), DeviceId: deviceId(device), DeviceName: device, ReportId: report++ });
  const file = (device: string, hours: number, values: Record<string, unknown>) =>
    completeRow('DeviceFileEvents', { ...base(device, hours), ActionType: 'FileCreated', FileName: 'invoice.exe', FolderPath: 'C:\\Users\\Public\\Downloads', ...values });
  const process = (device: string, hours: number, values: Record<string, unknown>) =>
    completeRow('DeviceProcessEvents', { ...base(device, hours), ActionType: 'ProcessCreated', FileName: 'invoice.exe', FolderPath: 'C:\\Users\\Public\\Downloads\\invoice.exe', ...values });
  const network = (device: string, hours: number, values: Record<string, unknown>) =>
    completeRow('DeviceNetworkEvents', { ...base(device, hours), ActionType: 'ConnectionSuccess', RemotePort: 443, LocalIP: '10.0.0.5', InitiatingProcessFileName: 'chrome.exe', ...values });
  const logon = (device: string, hours: number, domain: string, name: string, success = true) =>
    completeRow('DeviceLogonEvents', { ...base(device, hours), ActionType: success ? 'LogonSuccess' : 'LogonFailed', LogonType: 'RemoteInteractive', AccountDomain: domain, AccountName: name });
  return {
    DeviceFileEvents: [
      file('fin-ws-001.contoso.local', 2, { SHA256: HASH, SHA1: HASH_FILE_SHA1 }),
      file('eng-ws-004.contoso.local', 3, { SHA256: HASH_NEAR }),
    ],
    DeviceProcessEvents: [
      process('hr-ws-002.contoso.local', 4, { SHA256: HASH.toUpperCase(), MD5: MD5 }),
      process('fin-ws-001.contoso.local', 5, { FileName: 'excel.exe', SHA256: 'b'.repeat(64), AccountDomain: 'contoso', AccountName: 'alice' }),
      process('fin-ws-001.contoso.local', 6, { FileName: 'excel.exe', SHA256: 'b'.repeat(64), AccountDomain: 'contoso', AccountName: 'alice' }),
      process('fin-ws-0010.contoso.local', 6, { FileName: 'notepad.exe', SHA256: 'c'.repeat(64) }),
    ],
    DeviceImageLoadEvents: [
      completeRow('DeviceImageLoadEvents', { ...base('it-srv-003.contoso.local', 7), ActionType: 'ImageLoaded', FileName: 'invoice.exe', SHA256: HASH, MD5: `${MD5.slice(0, 31)}x` }),
    ],
    DeviceFileCertificateInfo: [
      completeRow('DeviceFileCertificateInfo', { ...base('ops-ws-009.contoso.local', 8), SHA1, Signer: 'Evil Signer Ltd', IsSigned: true }),
      completeRow('DeviceFileCertificateInfo', { ...base('fin-ws-001.contoso.local', 2), SHA1: HASH_FILE_SHA1, Signer: 'Dropper Signing Co', IsSigned: true }),
    ],
    DeviceNetworkEvents: [
      network('mkt-ws-005.contoso.local', 2, { RemoteUrl: 'example.com', RemoteIP: '93.184.215.14' }),
      network('sales-ws-006.contoso.local', 3, { RemoteUrl: 'https://cdn.example.com/x.js', RemoteIP: '93.184.215.15' }),
      network('legal-ws-007.contoso.local', 4, { RemoteUrl: 'evil-example.com', RemoteIP: '198.51.100.1' }),
      network('rnd-ws-008.contoso.local', 5, { RemoteUrl: 'example.com.evil.net', RemoteIP: '198.51.100.2' }),
      network('sup-ws-010.contoso.local', 2, { RemoteIP: '203.0.113.7', RemotePort: 8443, InitiatingProcessFileName: 'beacon.exe' }),
      network('sup-ws-011.contoso.local', 3, { RemoteIP: '10.1.1.1', LocalIP: '203.0.113.7', LocalPort: 3389 }),
      network('sup-ws-012.contoso.local', 4, { RemoteIP: '203.0.114.7' }),
      network('sup-ws-012.contoso.local', 4, { RemoteIP: '203.0.113.70' }),
      network('fin-ws-001.contoso.local', 1, { RemoteUrl: 'login.contoso.com', RemoteIP: '20.1.2.3' }),
    ],
    DeviceLogonEvents: [
      logon('fin-ws-001.contoso.local', 2, 'CONTOSO', 'alice'),
      logon('it-srv-003.contoso.local', 5, 'CONTOSO', 'alice', false),
      logon('it-srv-003.contoso.local', 4, 'contoso.com', 'alice'),
      logon('hr-ws-002.contoso.local', 3, 'FABRIKAM', 'alice'),
      logon('eng-ws-004.contoso.local', 3, 'CONTOSO', 'malice'),
      logon('eng-ws-004.contoso.local', 3, 'CONTOSO', 'alice2'),
    ],
    DeviceInfo: [
      completeRow('DeviceInfo', { ...base('fin-ws-001.contoso.local', 1), OSPlatform: 'Windows11', OSVersion: '24H2', OSBuild: 26100, PublicIP: '203.0.113.200', DeviceType: 'Workstation' }),
      completeRow('DeviceInfo', { ...base('fin-ws-0010.contoso.local', 1), OSPlatform: 'Windows10', OSVersion: '22H2', OSBuild: 19045 }),
    ],
  };
}

/** Writes the rows as `<Table>.jsonl` into a new temporary folder. */
export function writeLookupDataFolder(now: Date): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-lookups-'));
  for (const [table, rows] of Object.entries(lookupFixtureRows(now))) {
    fs.writeFileSync(path.join(dir, `${table}.jsonl`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  return dir;
}
