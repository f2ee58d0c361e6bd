import { BUNDLED_SCHEMA } from '../kql/bundled-schema';
import type { TableSchema } from '../kql/schema';
import type { KustoType } from '../kql/types';
import type { SampleDevice } from './fleet';
import { type Prng, digestHex } from './prng';

/**
 * Complete Defender rows from the few facts an event is about. Every schema column is present; both
 * Timestamp and TimeGenerated hold the event time as an ISO 8601 UTC string.
 */

export type Row = Record<string, unknown>;

/** The program behind a process or connection (a planted RMM tool or background software). */
export interface ProgramFacts {
  company: string;
  product: string;
  description: string;
  originalFileName: string;
  fileName: string;
  /** Full path including the file name, as Defender's FolderPath. */
  folderPath: string;
  sha1: string;
  sha256: string;
  md5: string;
}

export interface AccountFacts {
  name: string;
  domain: string;
  upn: string;
  sid: string;
  objectId: string;
}

const SYSTEM_ACCOUNT: AccountFacts = { name: 'system', domain: 'nt authority', upn: '', sid: 'S-1-5-18', objectId: '' };

const EMPTY_BY_TYPE: Readonly<Record<KustoType, unknown>> = {
  string: '',
  long: 0,
  int: 0,
  real: 0,
  decimal: 0,
  bool: false,
  datetime: null,
  timespan: null,
  dynamic: null,
  guid: null,
};

/**
 * Column names and empty values per table, in schema order, and an empty row to copy: a copy of one
 * object keeps its fast property layout, where adding ~80 properties by name to `{}` one at a time
 * leaves V8 a slow dictionary-mode object per row (generating the sample took seconds, mostly GC).
 */
const LAYOUTS = new Map<string, { names: string[]; empties: unknown[]; template: Row }>(
  BUNDLED_SCHEMA.tables.map((t: TableSchema) => {
    const names = t.columns.map((c) => c.name);
    const empties = t.columns.map((c) => EMPTY_BY_TYPE[c.type]);
    return [t.name, { names, empties, template: Object.fromEntries(names.map((name, i) => [name, empties[i]])) }];
  }),
);

/** Fills every column the table's schema names, in schema order; a key outside the schema is an error. */
export function completeRow(table: string, values: Row): Row {
  const layout = LAYOUTS.get(table);
  if (!layout) throw new Error(`no schema for ${table}`);
  const row: Row = { ...layout.template };
  let used = 0;
  for (let i = 0; i < layout.names.length; i++) {
    const value = values[layout.names[i]];
    if (value !== undefined) used++;
    row[layout.names[i]] = value ?? layout.empties[i];
  }
  if (used !== Object.keys(values).length) {
    const unknown = Object.keys(values).filter((key) => !layout.names.includes(key));
    throw new Error(`${table} has no column ${unknown.join(', ')}`);
  }
  return row;
}

/** The columns every device table starts with: when (Defender's Timestamp and Sentinel's TimeGenerated) and which device. */
function deviceEventColumns(device: SampleDevice, ms: number): Row {
  const at = iso(ms);
  return { Timestamp: at, TimeGenerated: at, DeviceId: device.deviceId, DeviceName: device.deviceName };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function accountOf(device: SampleDevice, asSystem: boolean): AccountFacts {
  if (asSystem) return SYSTEM_ACCOUNT;
  const u = device.user;
  return { name: u.accountName, domain: u.accountDomain, upn: u.upn, sid: u.sid, objectId: u.objectId };
}

export function certificateRow(input: { device: SampleDevice; ms: number; sha1: string; signer: string; issuer: string; reportId: number }): Row {
  const { device, ms, sha1, signer, issuer } = input;
  const issued = ms - 400 * 86_400_000;
  return completeRow('DeviceFileCertificateInfo', {
    ...deviceEventColumns(device, ms),
    SHA1: sha1,
    IsSigned: true,
    SignatureType: 'Embedded',
    Signer: signer,
    SignerHash: cachedDigest('sha1', `signer/${signer}`),
    Issuer: issuer,
    IssuerHash: cachedDigest('sha1', `issuer/${issuer}`),
    CertificateSerialNumber: cachedDigest('md5', `serial/${signer}`),
    CrlDistributionPointUrls: '["http://crl3.digicert.com/DigiCertTrustedG4CodeSigningRSA4096SHA3842021CA1.crl"]',
    CertificateCreationTime: iso(issued - (issued % 86_400_000)),
    CertificateExpirationTime: iso(issued - (issued % 86_400_000) + 3 * 365 * 86_400_000),
    CertificateCountersignatureTime: iso(ms - 30 * 86_400_000),
    IsTrusted: true,
    IsRootSignerMicrosoft: signer.startsWith('Microsoft'),
    ReportId: input.reportId,
  });
}

export function processRow(input: {
  device: SampleDevice;
  ms: number;
  program: ProgramFacts;
  account: AccountFacts;
  commandLine: string;
  parent: { fileName: string; folderPath: string };
  prng: Prng;
  reportId: number;
}): Row {
  const { device, ms, program, account, parent, prng } = input;
  const processId = prng.int(1000, 40_000);
  const parentId = prng.int(400, 9000);
  const values: Row = {
    ...deviceEventColumns(device, ms),
    ActionType: 'ProcessCreated',
    FileName: program.fileName,
    FolderPath: program.folderPath,
    SHA1: program.sha1,
    SHA256: program.sha256,
    MD5: program.md5,
    FileSize: 200_000 + (parseInt(program.sha1.slice(0, 6), 16) % 40_000_000),
    ProcessVersionInfoCompanyName: program.company,
    ProcessVersionInfoProductName: program.product,
    ProcessVersionInfoProductVersion: versionOf(program.sha1),
    ProcessVersionInfoInternalFileName: program.originalFileName,
    ProcessVersionInfoOriginalFileName: program.originalFileName,
    ProcessVersionInfoFileDescription: program.description,
    ProcessId: processId,
    ProcessCommandLine: input.commandLine,
    ProcessIntegrityLevel: account.upn ? 'Medium' : 'System',
    ProcessTokenElevation: account.upn ? 'TokenElevationTypeLimited' : 'TokenElevationTypeDefault',
    ProcessCreationTime: iso(ms),
    AccountDomain: account.domain,
    AccountName: account.name,
    AccountSid: account.sid,
    AccountUpn: account.upn,
    AccountObjectId: account.objectId,
    LogonId: account.upn ? prng.int(100_000, 9_000_000) : 999,
    ReportId: input.reportId,
  };
  // Set on the complete row (all its properties exist already): adding them to `values` made every row a slow object.
  const row = completeRow('DeviceProcessEvents', values);
  setInitiatingColumns(row, windowsProgram(parent), account, parentId, ms - prng.int(1000, 3_600_000), `"${parent.folderPath}"`);
  row.InitiatingProcessParentFileName = parent.fileName === 'services.exe' ? 'wininit.exe' : 'userinit.exe';
  return row;
}

export function networkRow(input: {
  device: SampleDevice;
  ms: number;
  program: ProgramFacts;
  account: AccountFacts;
  remoteUrl: string;
  remoteIp: string;
  remotePort: number;
  prng: Prng;
  reportId: number;
}): Row {
  const { device, ms, program, account, prng } = input;
  const values: Row = {
    ...deviceEventColumns(device, ms),
    ActionType: prng.chance(0.95) ? 'ConnectionSuccess' : 'ConnectionFailed',
    RemoteIP: input.remoteIp,
    RemotePort: input.remotePort,
    RemoteUrl: input.remoteUrl,
    LocalIP: device.localIp,
    LocalPort: prng.int(49_152, 65_535),
    Protocol: 'Tcp',
    LocalIPType: 'Private',
    RemoteIPType: input.remoteIp.startsWith('10.') ? 'Private' : 'Public',
    ReportId: input.reportId,
  };
  // Set on the complete row (all its properties exist already): adding them to `values` made every row a slow object.
  const row = completeRow('DeviceNetworkEvents', values);
  setInitiatingColumns(row, program, account, prng.int(1000, 40_000), ms - prng.int(60_000, 6 * 3_600_000), `"${program.folderPath}"`);
  row.InitiatingProcessParentFileName = account.upn ? 'explorer.exe' : 'services.exe';
  return row;
}

export function deviceInfoRow(input: { device: SampleDevice; ms: number; reportId: number }): Row {
  const { device, ms } = input;
  const user = device.user;
  return completeRow('DeviceInfo', {
    ...deviceEventColumns(device, ms),
    ClientVersion: '10.8760.26100.3624',
    PublicIP: device.publicIp,
    OSArchitecture: '64-bit',
    OSPlatform: device.osPlatform,
    OSBuild: device.osBuild,
    OSVersion: device.osVersion,
    IsAzureADJoined: device.type !== 'Server',
    JoinType: device.type === 'Server' ? 'Domain Joined' : 'Hybrid Azure AD Join',
    AadDeviceId: device.aadDeviceId,
    LoggedOnUsers: [{ UserName: user.accountName, DomainName: user.accountDomain, Sid: user.sid }],
    MachineGroup: `${device.department.toUpperCase()} devices`,
    DeviceCategory: 'Endpoint',
    DeviceType: device.type === 'Server' ? 'Server' : 'Workstation',
    Model: device.model,
    Vendor: device.vendor,
    ExposureLevel: device.type === 'Server' ? 'Medium' : 'Low',
    ReportId: input.reportId,
    AdditionalFields: null,
  });
}

function setInitiatingColumns(row: Row, program: ProgramFacts, account: AccountFacts, processId: number, createdMs: number, commandLine: string): void {
  row.InitiatingProcessAccountDomain = account.domain;
  row.InitiatingProcessAccountName = account.name;
  row.InitiatingProcessAccountSid = account.sid;
  row.InitiatingProcessAccountUpn = account.upn;
  row.InitiatingProcessAccountObjectId = account.objectId;
  row.InitiatingProcessIntegrityLevel = account.upn ? 'Medium' : 'System';
  row.InitiatingProcessTokenElevation = account.upn ? 'TokenElevationTypeLimited' : 'TokenElevationTypeDefault';
  row.InitiatingProcessSHA1 = program.sha1;
  row.InitiatingProcessSHA256 = program.sha256;
  row.InitiatingProcessMD5 = program.md5;
  row.InitiatingProcessFileName = program.fileName;
  row.InitiatingProcessFileSize = 200_000 + (parseInt(program.sha1.slice(0, 6), 16) % 40_000_000);
  row.InitiatingProcessVersionInfoCompanyName = program.company;
  row.InitiatingProcessVersionInfoProductName = program.product;
  row.InitiatingProcessVersionInfoProductVersion = versionOf(program.sha1);
  row.InitiatingProcessVersionInfoInternalFileName = program.originalFileName;
  row.InitiatingProcessVersionInfoOriginalFileName = program.originalFileName;
  row.InitiatingProcessVersionInfoFileDescription = program.description;
  row.InitiatingProcessId = processId;
  row.InitiatingProcessCommandLine = commandLine;
  row.InitiatingProcessCreationTime = iso(createdMs);
  row.InitiatingProcessFolderPath = program.folderPath;
  row.InitiatingProcessParentId = processId > 1000 ? processId - 377 : 4;
  row.InitiatingProcessParentCreationTime = iso(createdMs - 3_600_000);
}

/** A Windows binary (explorer.exe, services.exe, a System32 library, …). */
export function windowsProgram(parent: { fileName: string; folderPath: string }): ProgramFacts {
  return {
    fileName: parent.fileName,
    folderPath: parent.folderPath,
    company: 'Microsoft Corporation',
    product: 'Microsoft® Windows® Operating System',
    description: parent.fileName,
    originalFileName: parent.fileName,
    sha1: cachedDigest('sha1', parent.folderPath),
    sha256: cachedDigest('sha256', parent.folderPath),
    md5: cachedDigest('md5', parent.folderPath),
  };
}

const digests = new Map<string, string>();

/** Hashes of the few distinct names rows repeat (signers, parent paths), computed once. */
function cachedDigest(algorithm: 'sha1' | 'sha256' | 'md5', text: string): string {
  const key = `${algorithm}:${text}`;
  let digest = digests.get(key);
  if (digest === undefined) digests.set(key, (digest = digestHex(algorithm, text)));
  return digest;
}

/** A stable, plausible version string per binary. */
function versionOf(sha1: string): string {
  const n = parseInt(sha1.slice(0, 8), 16);
  return `${(n % 9) + 1}.${(n >> 4) % 20}.${(n >> 9) % 100}.${(n >> 13) % 5000}`;
}

/** A file written or changed on disk (DeviceFileEvents) by `initiating`. */
export function fileEventRow(input: {
  device: SampleDevice;
  ms: number;
  file: ProgramFacts;
  actionType: 'FileCreated' | 'FileModified' | 'FileRenamed';
  initiating: ProgramFacts;
  account: AccountFacts;
  originUrl?: string;
  prng: Prng;
  reportId: number;
}): Row {
  return diskFileRow('DeviceFileEvents', input.actionType, input, { minBytes: 200_000, spreadBytes: 40_000_000 });
}

/** A module (DLL, or an EXE loaded as one) loaded into `initiating` (DeviceImageLoadEvents). */
export function imageLoadRow(input: { device: SampleDevice; ms: number; image: ProgramFacts; initiating: ProgramFacts; account: AccountFacts; prng: Prng; reportId: number }): Row {
  return diskFileRow('DeviceImageLoadEvents', 'ImageLoaded', { ...input, file: input.image }, { minBytes: 50_000, spreadBytes: 4_000_000 });
}

/**
 * A file event or image load: the file's columns (its size derived from its hash, within the table's
 * typical range) and `initiating` as the program that acted, started by explorer for a user, services for SYSTEM.
 */
function diskFileRow(
  table: string,
  actionType: string,
  input: { device: SampleDevice; ms: number; file: ProgramFacts; initiating: ProgramFacts; account: AccountFacts; originUrl?: string; prng: Prng; reportId: number },
  size: { minBytes: number; spreadBytes: number },
): Row {
  const { device, ms, file, prng } = input;
  const slash = file.folderPath.lastIndexOf('\\');
  const values: Row = {
    ...deviceEventColumns(device, ms),
    ActionType: actionType,
    FileName: file.fileName,
    FolderPath: slash > 0 ? file.folderPath.slice(0, slash) : file.folderPath,
    SHA1: file.sha1,
    SHA256: file.sha256,
    MD5: file.md5,
    FileSize: size.minBytes + (parseInt(file.sha1.slice(0, 6), 16) % size.spreadBytes),
    ReportId: input.reportId,
  };
  if (input.originUrl) values.FileOriginUrl = input.originUrl;
  // Set on the complete row (all its properties exist already): adding them to `values` made every row a slow object.
  const row = completeRow(table, values);
  setInitiatingColumns(row, input.initiating, input.account, prng.int(1000, 40_000), ms - prng.int(1000, 3_600_000), `"${input.initiating.folderPath}"`);
  row.InitiatingProcessParentFileName = input.account.upn ? 'explorer.exe' : 'services.exe';
  return row;
}

export function logonRow(input: {
  device: SampleDevice;
  ms: number;
  account: AccountFacts;
  success: boolean;
  logonType: 'Interactive' | 'RemoteInteractive' | 'Network' | 'Service' | 'Unlock';
  remote?: { deviceName: string; ip: string };
  prng: Prng;
  reportId: number;
}): Row {
  const { device, ms, account, prng } = input;
  const values: Row = {
    ...deviceEventColumns(device, ms),
    ActionType: input.success ? 'LogonSuccess' : 'LogonFailed',
    LogonType: input.logonType,
    AccountDomain: account.domain,
    AccountName: account.name,
    AccountSid: account.sid,
    Protocol: input.logonType === 'Network' ? 'NTLM' : 'Negotiate',
    FailureReason: input.success ? '' : 'InvalidUserNameOrPassword',
    IsLocalAdmin: account.name.startsWith('adm-'),
    LogonId: input.success ? prng.int(100_000, 9_000_000) : 0,
    ReportId: input.reportId,
  };
  if (input.remote) {
    values.RemoteDeviceName = input.remote.deviceName;
    values.RemoteIP = input.remote.ip;
    values.RemoteIPType = input.remote.ip.startsWith('10.') ? 'Private' : 'Public';
    values.RemotePort = prng.int(49_152, 65_535);
  }
  // Set on the complete row (all its properties exist already): adding them to `values` made every row a slow object.
  const row = completeRow('DeviceLogonEvents', values);
  setInitiatingColumns(row, windowsProgram({ fileName: 'lsass.exe', folderPath: 'C:\\Windows\\System32\\lsass.exe' }), SYSTEM_ACCOUNT, prng.int(600, 900), ms - 86_400_000, 'lsass.exe');
  row.InitiatingProcessParentFileName = 'wininit.exe';
  return row;
}
