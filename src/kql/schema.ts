import type { KustoType } from './types';

/**
 * Column schemas of the Defender XDR tables the hunts use (advanced hunting reference), plus
 * Log Analytics' TimeGenerated. Both Timestamp and TimeGenerated hold the same instant so a hunt
 * written for either surface runs locally.
 */
export interface TableSchema {
  name: string;
  columns: ReadonlyArray<{ name: string; type: KustoType }>;
}

type Cols = Array<[string, KustoType]>;

const time: Cols = [
  ['Timestamp', 'datetime'],
  ['TimeGenerated', 'datetime'],
];
const device: Cols = [
  ['DeviceId', 'string'],
  ['DeviceName', 'string'],
];

function initiatingProcess(): Cols {
  return [
    ['InitiatingProcessAccountDomain', 'string'],
    ['InitiatingProcessAccountName', 'string'],
    ['InitiatingProcessAccountSid', 'string'],
    ['InitiatingProcessAccountUpn', 'string'],
    ['InitiatingProcessAccountObjectId', 'string'],
    ['InitiatingProcessIntegrityLevel', 'string'],
    ['InitiatingProcessTokenElevation', 'string'],
    ['InitiatingProcessSHA1', 'string'],
    ['InitiatingProcessSHA256', 'string'],
    ['InitiatingProcessMD5', 'string'],
    ['InitiatingProcessFileName', 'string'],
    ['InitiatingProcessFileSize', 'long'],
    ['InitiatingProcessVersionInfoCompanyName', 'string'],
    ['InitiatingProcessVersionInfoProductName', 'string'],
    ['InitiatingProcessVersionInfoProductVersion', 'string'],
    ['InitiatingProcessVersionInfoInternalFileName', 'string'],
    ['InitiatingProcessVersionInfoOriginalFileName', 'string'],
    ['InitiatingProcessVersionInfoFileDescription', 'string'],
    ['InitiatingProcessId', 'long'],
    ['InitiatingProcessCommandLine', 'string'],
    ['InitiatingProcessCreationTime', 'datetime'],
    ['InitiatingProcessFolderPath', 'string'],
    ['InitiatingProcessParentId', 'long'],
    ['InitiatingProcessParentFileName', 'string'],
    ['InitiatingProcessParentCreationTime', 'datetime'],
  ];
}

function table(name: string, cols: Cols): TableSchema {
  return { name, columns: cols.map(([n, t]) => ({ name: n, type: t })) };
}

export const DeviceFileCertificateInfo = table('DeviceFileCertificateInfo', [
  ...time,
  ...device,
  ['SHA1', 'string'],
  ['IsSigned', 'bool'],
  ['SignatureType', 'string'],
  ['Signer', 'string'],
  ['SignerHash', 'string'],
  ['Issuer', 'string'],
  ['IssuerHash', 'string'],
  ['CertificateSerialNumber', 'string'],
  ['CrlDistributionPointUrls', 'string'],
  ['CertificateCreationTime', 'datetime'],
  ['CertificateExpirationTime', 'datetime'],
  ['CertificateCountersignatureTime', 'datetime'],
  ['IsTrusted', 'bool'],
  ['IsRootSignerMicrosoft', 'bool'],
  ['ReportId', 'long'],
]);

export const DeviceProcessEvents = table('DeviceProcessEvents', [
  ...time,
  ...device,
  ['ActionType', 'string'],
  ['FileName', 'string'],
  ['FolderPath', 'string'],
  ['SHA1', 'string'],
  ['SHA256', 'string'],
  ['MD5', 'string'],
  ['FileSize', 'long'],
  ['ProcessVersionInfoCompanyName', 'string'],
  ['ProcessVersionInfoProductName', 'string'],
  ['ProcessVersionInfoProductVersion', 'string'],
  ['ProcessVersionInfoInternalFileName', 'string'],
  ['ProcessVersionInfoOriginalFileName', 'string'],
  ['ProcessVersionInfoFileDescription', 'string'],
  ['ProcessId', 'long'],
  ['ProcessCommandLine', 'string'],
  ['ProcessIntegrityLevel', 'string'],
  ['ProcessTokenElevation', 'string'],
  ['ProcessCreationTime', 'datetime'],
  ['AccountDomain', 'string'],
  ['AccountName', 'string'],
  ['AccountSid', 'string'],
  ['AccountUpn', 'string'],
  ['AccountObjectId', 'string'],
  ['LogonId', 'long'],
  ...initiatingProcess(),
  ['ReportId', 'long'],
  ['AdditionalFields', 'dynamic'],
]);

export const DeviceNetworkEvents = table('DeviceNetworkEvents', [
  ...time,
  ...device,
  ['ActionType', 'string'],
  ['RemoteIP', 'string'],
  ['RemotePort', 'int'],
  ['RemoteUrl', 'string'],
  ['LocalIP', 'string'],
  ['LocalPort', 'int'],
  ['Protocol', 'string'],
  ['LocalIPType', 'string'],
  ['RemoteIPType', 'string'],
  ...initiatingProcess(),
  ['ReportId', 'long'],
  ['AdditionalFields', 'dynamic'],
]);

export const DeviceInfo = table('DeviceInfo', [
  ...time,
  ...device,
  ['ClientVersion', 'string'],
  ['PublicIP', 'string'],
  ['OSArchitecture', 'string'],
  ['OSPlatform', 'string'],
  ['OSBuild', 'long'],
  ['OSVersion', 'string'],
  ['IsAzureADJoined', 'bool'],
  ['JoinType', 'string'],
  ['AadDeviceId', 'string'],
  ['LoggedOnUsers', 'dynamic'],
  ['MachineGroup', 'string'],
  ['DeviceCategory', 'string'],
  ['DeviceType', 'string'],
  ['Model', 'string'],
  ['Vendor', 'string'],
  ['ExposureLevel', 'string'],
  ['ReportId', 'long'],
  ['AdditionalFields', 'dynamic'],
]);

export const DeviceFileEvents = table('DeviceFileEvents', [
  ...time,
  ...device,
  ['ActionType', 'string'],
  ['FileName', 'string'],
  ['FolderPath', 'string'],
  ['SHA1', 'string'],
  ['SHA256', 'string'],
  ['MD5', 'string'],
  ['FileOriginUrl', 'string'],
  ['FileOriginReferrerUrl', 'string'],
  ['FileOriginIP', 'string'],
  ['PreviousFolderPath', 'string'],
  ['PreviousFileName', 'string'],
  ['FileSize', 'long'],
  ...initiatingProcess(),
  ['RequestProtocol', 'string'],
  ['RequestSourceIP', 'string'],
  ['RequestSourcePort', 'int'],
  ['RequestAccountName', 'string'],
  ['RequestAccountDomain', 'string'],
  ['RequestAccountSid', 'string'],
  ['ShareName', 'string'],
  ['SensitivityLabel', 'string'],
  ['SensitivitySubLabel', 'string'],
  ['IsAzureInfoProtectionApplied', 'bool'],
  ['ReportId', 'long'],
  ['AppGuardContainerId', 'string'],
  ['AdditionalFields', 'dynamic'],
]);

export const DeviceLogonEvents = table('DeviceLogonEvents', [
  ...time,
  ...device,
  ['ActionType', 'string'],
  ['LogonType', 'string'],
  ['AccountDomain', 'string'],
  ['AccountName', 'string'],
  ['AccountSid', 'string'],
  ['Protocol', 'string'],
  ['FailureReason', 'string'],
  ['IsLocalAdmin', 'bool'],
  ['LogonId', 'long'],
  ['RemoteDeviceName', 'string'],
  ['RemoteIP', 'string'],
  ['RemoteIPType', 'string'],
  ['RemotePort', 'int'],
  ...initiatingProcess(),
  ['ReportId', 'long'],
  ['AppGuardContainerId', 'string'],
  ['AdditionalFields', 'dynamic'],
]);

export const DeviceImageLoadEvents = table('DeviceImageLoadEvents', [
  ...time,
  ...device,
  ['ActionType', 'string'],
  ['FileName', 'string'],
  ['FolderPath', 'string'],
  ['SHA1', 'string'],
  ['SHA256', 'string'],
  ['MD5', 'string'],
  ['FileSize', 'long'],
  ...initiatingProcess(),
  ['ReportId', 'long'],
  ['AppGuardContainerId', 'string'],
]);

export const DEFENDER_TABLES: readonly TableSchema[] = [
  DeviceFileCertificateInfo,
  DeviceProcessEvents,
  DeviceNetworkEvents,
  DeviceInfo,
  DeviceFileEvents,
  DeviceLogonEvents,
  DeviceImageLoadEvents,
];

/**
 * Columns that `_GetWatchlist(alias)` returns for the bot's exclusion watchlist. Sentinel returns
 * the item's CSV columns as strings plus SearchKey and bookkeeping columns.
 */
export const EXCLUSION_WATCHLIST_COLUMNS: ReadonlyArray<{ name: string; type: KustoType }> = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
  { name: 'HuntKey', type: 'string' },
  { name: 'DeviceId', type: 'string' },
  { name: 'DeviceName', type: 'string' },
  { name: 'Scenario', type: 'string' },
  { name: 'Justification', type: 'string' },
  { name: 'TaggedByUpn', type: 'string' },
  { name: 'TaggedByAadObjectId', type: 'string' },
  { name: 'TaggedByName', type: 'string' },
  { name: 'TaggedAtUtc', type: 'string' },
  { name: 'ExpiresAtUtc', type: 'string' },
];
