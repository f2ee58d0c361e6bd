import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const HOUR = 3_600_000;

/** A certificate row with every column the schema has, so the loader sees realistic input. */
export function certRow(deviceId: string, deviceName: string, signer: string, at: Date, reportId: number): Record<string, unknown> {
  const iso = at.toISOString();
  return {
    Timestamp: iso,
    TimeGenerated: iso,
    DeviceId: deviceId,
    DeviceName: deviceName,
    SHA1: `${deviceId.slice(0, 8)}${reportId}`.padEnd(40, '0'),
    IsSigned: true,
    SignatureType: 'Embedded',
    Signer: signer,
    SignerHash: 'abc',
    Issuer: 'DigiCert',
    IssuerHash: 'def',
    CertificateSerialNumber: '01',
    CrlDistributionPointUrls: '[]',
    CertificateCreationTime: '2024-01-01T00:00:00Z',
    CertificateExpirationTime: '2027-01-01T00:00:00Z',
    CertificateCountersignatureTime: '2024-01-02T00:00:00Z',
    IsTrusted: true,
    IsRootSignerMicrosoft: false,
    ReportId: reportId,
  };
}

/**
 * A hand-written data folder: three devices with NCH Software signed files inside the last 5 days,
 * look-alike signers that must not match, and a true hit older than the window.
 */
export function writeDesktopNowDataFolder(now: Date): { dir: string; expectedDevices: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-data-'));
  const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
  const rows = [
    certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', ago(2), 101),
    certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', ago(30), 102),
    certRow('dev-b', 'hr-ws-017.contoso.local', 'NCH Software', ago(50), 201),
    certRow('dev-c', 'it-srv-004.contoso.local', 'nch software pty ltd', ago(100), 301),
    certRow('dev-d', 'dev-ws-100.contoso.local', 'NCHSoftware', ago(3), 401),
    certRow('dev-e', 'dev-ws-101.contoso.local', 'NCH Softwares', ago(3), 501),
    certRow('dev-f', 'dev-ws-102.contoso.local', 'Branch Software', ago(3), 601),
    certRow('dev-g', 'old-ws-001.contoso.local', 'NCH Software Pty Ltd', ago(24 * 9), 701),
  ];
  fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { dir, expectedDevices: ['fin-ws-001.contoso.local', 'hr-ws-017.contoso.local', 'it-srv-004.contoso.local'] };
}

/**
 * A data folder of three certificate rows with only the columns a count needs, in the hours before
 * `now`: for tests about an engine pool (its threads, its parser), not its data.
 */
export function writeThreeCertificateFolder(now: Date, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const rows = ['dev-1', 'dev-2', 'dev-3'].map((deviceId, k) => ({
    Timestamp: new Date(now.getTime() - (k + 1) * HOUR).toISOString(),
    DeviceId: deviceId,
    DeviceName: `${deviceId}.contoso.com`,
    Signer: 'NCH Software Pty Ltd',
    ReportId: 100 + k,
  }));
  fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  return dir;
}
