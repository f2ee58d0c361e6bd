import type { SampleDevice } from './fleet';
import { type Prng, digestHex, fileDigestsOf } from './prng';
import { type Row, type RowLayout, type RowValues, rowLayout } from './row-layout';

/**
 * Complete Defender rows from the few facts an event is about, as RowValues: every schema column is
 * present; both Timestamp and TimeGenerated hold the event time.
 */

export type { Row, RowValues } from './row-layout';

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

/** Fills every column the table's schema names, in schema order; a key outside the schema is an error. */
export function completeRow(table: string, values: Row): Row {
  const layout = rowLayout(table);
  return layout.rowObject(layout.fill(layout.emptyRow(), values));
}

const CERTIFICATE = rowLayout('DeviceFileCertificateInfo');
const PROCESS = rowLayout('DeviceProcessEvents');
const NETWORK = rowLayout('DeviceNetworkEvents');
const DEVICE_INFO = rowLayout('DeviceInfo');
const FILE_EVENT = rowLayout('DeviceFileEvents');
const IMAGE_LOAD = rowLayout('DeviceImageLoadEvents');
const LOGON = rowLayout('DeviceLogonEvents');

/** A new row of the layout holding the columns every device table starts with: when (Defender's Timestamp and Sentinel's TimeGenerated) and which device. */
function deviceEventRow(layout: RowLayout, device: SampleDevice, ms: number): RowValues {
  return layout.fill(layout.emptyRow(), { Timestamp: ms, TimeGenerated: ms, DeviceId: device.deviceId, DeviceName: device.deviceName });
}

export function accountOf(device: SampleDevice, asSystem: boolean): AccountFacts {
  if (asSystem) return SYSTEM_ACCOUNT;
  const u = device.user;
  return { name: u.accountName, domain: u.accountDomain, upn: u.upn, sid: u.sid, objectId: u.objectId };
}

export function certificateRow(input: { device: SampleDevice; ms: number; sha1: string; signer: string; issuer: string; reportId: number }): RowValues {
  const { device, ms, sha1, signer, issuer } = input;
  const issued = ms - 400 * 86_400_000;
  return CERTIFICATE.fill(deviceEventRow(CERTIFICATE, device, ms), {
    SHA1: sha1,
    IsSigned: true,
    SignatureType: 'Embedded',
    Signer: signer,
    SignerHash: signerFacts(signer).hash,
    Issuer: issuer,
    IssuerHash: issuerHash(issuer),
    CertificateSerialNumber: signerFacts(signer).serial,
    CrlDistributionPointUrls: '["http://crl3.digicert.com/DigiCertTrustedG4CodeSigningRSA4096SHA3842021CA1.crl"]',
    CertificateCreationTime: issued - (issued % 86_400_000),
    CertificateExpirationTime: issued - (issued % 86_400_000) + 3 * 365 * 86_400_000,
    CertificateCountersignatureTime: ms - 30 * 86_400_000,
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
}): RowValues {
  const { device, ms, program, account, parent, prng } = input;
  const processId = prng.int(1000, 40_000);
  const parentId = prng.int(400, 9000);
  const binary = binaryFacts(program.sha1);
  const row = PROCESS.fill(deviceEventRow(PROCESS, device, ms), {
    ActionType: 'ProcessCreated',
    FileName: program.fileName,
    FolderPath: program.folderPath,
    SHA1: program.sha1,
    SHA256: program.sha256,
    MD5: program.md5,
    FileSize: 200_000 + (binary.sizeSeed % 40_000_000),
    ProcessVersionInfoCompanyName: program.company,
    ProcessVersionInfoProductName: program.product,
    ProcessVersionInfoProductVersion: binary.version,
    ProcessVersionInfoInternalFileName: program.originalFileName,
    ProcessVersionInfoOriginalFileName: program.originalFileName,
    ProcessVersionInfoFileDescription: program.description,
    ProcessId: processId,
    ProcessCommandLine: input.commandLine,
    ProcessIntegrityLevel: account.upn ? 'Medium' : 'System',
    ProcessTokenElevation: account.upn ? 'TokenElevationTypeLimited' : 'TokenElevationTypeDefault',
    ProcessCreationTime: ms,
    AccountDomain: account.domain,
    AccountName: account.name,
    AccountSid: account.sid,
    AccountUpn: account.upn,
    AccountObjectId: account.objectId,
    LogonId: account.upn ? prng.int(100_000, 9_000_000) : 999,
    ReportId: input.reportId,
  });
  const parentFileName = parent.fileName === 'services.exe' ? 'wininit.exe' : 'userinit.exe';
  return PROCESS.fill(row, initiatingColumns(windowsProgram(parent), account, parentId, ms - prng.int(1000, 3_600_000), `"${parent.folderPath}"`, parentFileName));
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
}): RowValues {
  const { device, ms, program, account, prng } = input;
  const row = NETWORK.fill(deviceEventRow(NETWORK, device, ms), {
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
  });
  const parentFileName = account.upn ? 'explorer.exe' : 'services.exe';
  return NETWORK.fill(row, initiatingColumns(program, account, prng.int(1000, 40_000), ms - prng.int(60_000, 6 * 3_600_000), `"${program.folderPath}"`, parentFileName));
}

export function deviceInfoRow(input: { device: SampleDevice; ms: number; reportId: number }): RowValues {
  const { device, ms } = input;
  const user = device.user;
  return DEVICE_INFO.fill(deviceEventRow(DEVICE_INFO, device, ms), {
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

/** The InitiatingProcess* columns: `program` started at `createdMs` as `processId` by `parentFileName`. */
function initiatingColumns(program: ProgramFacts, account: AccountFacts, processId: number, createdMs: number, commandLine: string, parentFileName: string): Row {
  const binary = binaryFacts(program.sha1);
  return {
    InitiatingProcessAccountDomain: account.domain,
    InitiatingProcessAccountName: account.name,
    InitiatingProcessAccountSid: account.sid,
    InitiatingProcessAccountUpn: account.upn,
    InitiatingProcessAccountObjectId: account.objectId,
    InitiatingProcessIntegrityLevel: account.upn ? 'Medium' : 'System',
    InitiatingProcessTokenElevation: account.upn ? 'TokenElevationTypeLimited' : 'TokenElevationTypeDefault',
    InitiatingProcessSHA1: program.sha1,
    InitiatingProcessSHA256: program.sha256,
    InitiatingProcessMD5: program.md5,
    InitiatingProcessFileName: program.fileName,
    InitiatingProcessFileSize: 200_000 + (binary.sizeSeed % 40_000_000),
    InitiatingProcessVersionInfoCompanyName: program.company,
    InitiatingProcessVersionInfoProductName: program.product,
    InitiatingProcessVersionInfoProductVersion: binary.version,
    InitiatingProcessVersionInfoInternalFileName: program.originalFileName,
    InitiatingProcessVersionInfoOriginalFileName: program.originalFileName,
    InitiatingProcessVersionInfoFileDescription: program.description,
    InitiatingProcessId: processId,
    InitiatingProcessCommandLine: commandLine,
    InitiatingProcessCreationTime: createdMs,
    InitiatingProcessFolderPath: program.folderPath,
    InitiatingProcessParentId: processId > 1000 ? processId - 377 : 4,
    InitiatingProcessParentFileName: parentFileName,
    InitiatingProcessParentCreationTime: createdMs - 3_600_000,
  };
}

const signers = new Map<string, { hash: string; serial: string }>();

/** A signer's certificate hash and serial number, computed once per signer (certificate rows repeat a few dozen). */
function signerFacts(signer: string): { hash: string; serial: string } {
  let facts = signers.get(signer);
  if (!facts) signers.set(signer, (facts = { hash: digestHex('sha1', `signer/${signer}`), serial: digestHex('md5', `serial/${signer}`) }));
  return facts;
}

const issuerHashes = new Map<string, string>();

function issuerHash(issuer: string): string {
  let hash = issuerHashes.get(issuer);
  if (hash === undefined) issuerHashes.set(issuer, (hash = digestHex('sha1', `issuer/${issuer}`)));
  return hash;
}

const windowsPrograms = new Map<string, ProgramFacts>();

/** A Windows binary (explorer.exe, services.exe, a System32 library, …); the same facts object for the same binary (every process row names a parent). */
export function windowsProgram(parent: { fileName: string; folderPath: string }): ProgramFacts {
  const known = windowsPrograms.get(parent.folderPath);
  if (known?.fileName === parent.fileName) return known;
  const facts = describeWindowsProgram(parent);
  windowsPrograms.set(parent.folderPath, facts);
  return facts;
}

function describeWindowsProgram(parent: { fileName: string; folderPath: string }): ProgramFacts {
  return {
    fileName: parent.fileName,
    folderPath: parent.folderPath,
    company: 'Microsoft Corporation',
    product: 'Microsoft® Windows® Operating System',
    description: parent.fileName,
    originalFileName: parent.fileName,
    ...fileDigestsOf(parent.folderPath),
  };
}

const binaries = new Map<string, { sizeSeed: number; version: string }>();

/**
 * What a binary's SHA1 gives its rows, computed once per binary (rows repeat a few hundred): a number
 * its file size is derived from, and a stable, plausible version string.
 */
function binaryFacts(sha1: string): { sizeSeed: number; version: string } {
  let facts = binaries.get(sha1);
  if (!facts) {
    const n = parseInt(sha1.slice(0, 8), 16);
    const version = `${(n % 9) + 1}.${(n >> 4) % 20}.${(n >> 9) % 100}.${(n >> 13) % 5000}`;
    binaries.set(sha1, (facts = { sizeSeed: parseInt(sha1.slice(0, 6), 16), version }));
  }
  return facts;
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
}): RowValues {
  return diskFileRow(FILE_EVENT, input.actionType, input, { minBytes: 200_000, spreadBytes: 40_000_000 });
}

/** A module (DLL, or an EXE loaded as one) loaded into `initiating` (DeviceImageLoadEvents). */
export function imageLoadRow(input: { device: SampleDevice; ms: number; image: ProgramFacts; initiating: ProgramFacts; account: AccountFacts; prng: Prng; reportId: number }): RowValues {
  return diskFileRow(IMAGE_LOAD, 'ImageLoaded', { ...input, file: input.image }, { minBytes: 50_000, spreadBytes: 4_000_000 });
}

/**
 * A file event or image load: the file's columns (its size derived from its hash, within the table's
 * typical range) and `initiating` as the program that acted, started by explorer for a user, services for SYSTEM.
 */
function diskFileRow(
  layout: RowLayout,
  actionType: string,
  input: { device: SampleDevice; ms: number; file: ProgramFacts; initiating: ProgramFacts; account: AccountFacts; originUrl?: string; prng: Prng; reportId: number },
  size: { minBytes: number; spreadBytes: number },
): RowValues {
  const { device, ms, file, prng } = input;
  const slash = file.folderPath.lastIndexOf('\\');
  const row = layout.fill(deviceEventRow(layout, device, ms), {
    ActionType: actionType,
    FileName: file.fileName,
    FolderPath: slash > 0 ? file.folderPath.slice(0, slash) : file.folderPath,
    SHA1: file.sha1,
    SHA256: file.sha256,
    MD5: file.md5,
    FileSize: size.minBytes + (binaryFacts(file.sha1).sizeSeed % size.spreadBytes),
    ReportId: input.reportId,
  });
  if (input.originUrl) layout.fill(row, { FileOriginUrl: input.originUrl });
  const parentFileName = input.account.upn ? 'explorer.exe' : 'services.exe';
  return layout.fill(row, initiatingColumns(input.initiating, input.account, prng.int(1000, 40_000), ms - prng.int(1000, 3_600_000), `"${input.initiating.folderPath}"`, parentFileName));
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
}): RowValues {
  const { device, ms, account, prng } = input;
  const row = LOGON.fill(deviceEventRow(LOGON, device, ms), {
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
  });
  if (input.remote) {
    LOGON.fill(row, {
      RemoteDeviceName: input.remote.deviceName,
      RemoteIP: input.remote.ip,
      RemoteIPType: input.remote.ip.startsWith('10.') ? 'Private' : 'Public',
      RemotePort: prng.int(49_152, 65_535),
    });
  }
  return LOGON.fill(row, initiatingColumns(LSASS, SYSTEM_ACCOUNT, prng.int(600, 900), ms - 86_400_000, 'lsass.exe', 'wininit.exe'));
}

const LSASS = windowsProgram({ fileName: 'lsass.exe', folderPath: 'C:\\Windows\\System32\\lsass.exe' });
