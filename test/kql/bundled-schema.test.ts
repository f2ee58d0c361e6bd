import { BUNDLED_SCHEMA, DEFENDER_TABLES, SENTINEL_TABLES } from '../../src/kql/bundled-schema';
import { checkQuery, queryCheckerFor } from '../../src/kql/check';
import { mergeSchemas, parseSchemaDocument, SchemaFileError } from '../../src/kql/schema-file';

const typeOf = (table: string, column: string) =>
  BUNDLED_SCHEMA.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column)?.type;
const errorsOf = (kql: string, check = checkQuery) => check(kql).filter((d) => d.severity === 'Error');

/** Every table the issues name, with columns hunts key on and their published types. */
const KEY_COLUMNS: Record<string, Record<string, string>> = {
  DeviceEvents: { ActionType: 'string', FileName: 'string', SHA1: 'string', InitiatingProcessFileName: 'string', AdditionalFields: 'dynamic' },
  DeviceRegistryEvents: { RegistryKey: 'string', RegistryValueData: 'string', InitiatingProcessCommandLine: 'string' },
  DeviceFileEvents: { FolderPath: 'string', SHA1: 'string', FileOriginUrl: 'string', InitiatingProcessAccountUpn: 'string', RequestSourcePort: 'int' },
  DeviceLogonEvents: { LogonType: 'string', IsLocalAdmin: 'bool', RemoteIP: 'string', RemotePort: 'int', LogonId: 'long' },
  DeviceImageLoadEvents: { FileName: 'string', SHA1: 'string', InitiatingProcessFolderPath: 'string' },
  DeviceProcessEvents: { ProcessCommandLine: 'string', ProcessId: 'long', InitiatingProcessSignerType: 'string' },
  DeviceNetworkEvents: { RemoteIP: 'string', RemotePort: 'int', RemoteUrl: 'string' },
  DeviceFileCertificateInfo: { Signer: 'string', IsRootSignerMicrosoft: 'bool', IsSigned: 'bool' },
  DeviceInfo: { OSPlatform: 'string', OnboardingStatus: 'string', IsInternetFacing: 'bool', MergedToDeviceId: 'string', OSDistribution: 'string' },
  DeviceNetworkInfo: { MacAddress: 'string', IPAddresses: 'dynamic' },
  DeviceTvmSoftwareInventory: { SoftwareName: 'string', SoftwareVersion: 'string', EndOfSupportDate: 'datetime' },
  DeviceTvmSoftwareVulnerabilities: { CveId: 'string', VulnerabilitySeverityLevel: 'string', CveTags: 'dynamic' },
  EmailEvents: { NetworkMessageId: 'string', SenderFromAddress: 'string', RecipientEmailAddress: 'string', AttachmentCount: 'int', EmailClusterId: 'long' },
  EmailAttachmentInfo: { SHA256: 'string', FileName: 'string', FileSize: 'long' },
  EmailUrlInfo: { Url: 'string', UrlDomain: 'string' },
  EmailPostDeliveryEvents: { Action: 'string', ActionType: 'string' },
  IdentityLogonEvents: { AccountUpn: 'string', IPAddress: 'string', Port: 'int', AdditionalFields: 'dynamic' },
  IdentityQueryEvents: { QueryType: 'string', QueryTarget: 'string' },
  IdentityDirectoryEvents: { TargetAccountUpn: 'string', AdditionalFields: 'dynamic' },
  IdentityInfo: { AccountUpn: 'string', IsAccountEnabled: 'bool', AssignedRoles: 'dynamic' },
  CloudAppEvents: { ActionType: 'string', ApplicationId: 'int', RawEventData: 'dynamic', IsAdminOperation: 'bool' },
  AlertInfo: { AlertId: 'string', Severity: 'string', AttackTechniques: 'string' },
  AlertEvidence: { AlertId: 'string', EntityType: 'string', SHA1: 'string', DeviceId: 'string' },
  UrlClickEvents: { Url: 'string', IsClickedThrough: 'bool', AccountUpn: 'string' },
  BehaviorInfo: { BehaviorId: 'string', StartTime: 'datetime' },
  BehaviorEntities: { BehaviorId: 'string', EntityType: 'string' },
  AADSignInEventsBeta: { ErrorCode: 'int', AccountUpn: 'string', IsGuestUser: 'bool' },
  AADSpnSignInEventsBeta: { ServicePrincipalId: 'string', IsManagedIdentity: 'bool' },
  ExposureGraphNodes: { NodeId: 'string', NodeProperties: 'dynamic' },
  ExposureGraphEdges: { EdgeLabel: 'string', SourceNodeId: 'string' },
  AIAgentsInfo: { AIAgentId: 'guid', AIAgentName: 'string', AgentToolsDetails: 'dynamic' },
  CampaignInfo: { CampaignId: 'string', CampaignType: 'string', NetworkMessageId: 'string' },
  CloudAuditEvents: { OperationName: 'string', IsAnonymousProxy: 'bool', RawEventData: 'dynamic' },
  CloudDnsEvents: { DnsQuery: 'string', ProcessId: 'long', KubernetesPodName: 'string' },
  CloudPolicyEnforcementEvents: { ResourceKind: 'string', Reason: 'string', KubernetesNamespace: 'string' },
  CloudProcessEvents: { ProcessCommandLine: 'string', ProcessCreationTime: 'datetime', LogonId: 'long' },
  CloudStorageAggregatedEvents: { StorageAccount: 'string', FailedOperationsCount: 'int', OperationNamesList: 'dynamic', DataAggregationEndTime: 'datetime' },
  DataSecurityBehaviors: { BehaviorId: 'string', IsAnomalous: 'bool', ActionCategory: 'string' },
  DataSecurityEvents: { AadDeviceId: 'guid', DlpPolicyEnforcementMode: 'int', IrmActionCategory: 'string' },
  DeviceBaselineComplianceAssessment: { ConfigurationId: 'string', IsCompliant: 'bool', CurrentValue: 'dynamic' },
  DeviceBaselineComplianceAssessmentKB: { ConfigurationId: 'string', BenchmarkProfileLevels: 'dynamic' },
  DeviceBaselineComplianceProfiles: { ProfileId: 'string', OSPlatform: 'dynamic', CreatedOn: 'datetime' },
  DeviceTvmBrowserExtensions: { ExtensionId: 'string', ExtensionRisk: 'string', InstallationTime: 'datetime' },
  DeviceTvmBrowserExtensionsKB: { PermissionName: 'string', ExtensionVersion: 'dynamic' },
  DeviceTvmCertificateInfo: { Thumbprint: 'string', IssuedBy: 'dynamic', ExpirationDate: 'string' },
  DeviceTvmHardwareFirmware: { ComponentType: 'string', ComponentVersion: 'string' },
  DeviceTvmInfoGathering: { LastSeenTime: 'datetime', AdditionalFields: 'dynamic' },
  DeviceTvmInfoGatheringKB: { IgId: 'string', Categories: 'dynamic' },
  DeviceTvmSecureConfigurationAssessment: { ConfigurationId: 'string', ConfigurationImpact: 'real', IsCompliant: 'bool' },
  DeviceTvmSecureConfigurationAssessmentKB: { ConfigurationName: 'string', ConfigurationImpact: 'real', Tags: 'dynamic' },
  DeviceTvmSoftwareEvidenceBeta: { SoftwareName: 'string', DiskPaths: 'dynamic' },
  DisruptionAndResponseEvents: { PolicyName: 'string', SourcePort: 'int', DataSources: 'dynamic', IsPolicyOn: 'bool' },
  EntraIdSignInEvents: { AccountUpn: 'string', ErrorCode: 'int', EntraIdDeviceId: 'string', IsGuestUser: 'bool' },
  EntraIdSpnSignInEvents: { ServicePrincipalId: 'string', IsManagedIdentity: 'bool' },
  FileMaliciousContentInfo: { SHA256: 'string', FileSize: 'long', ThreatTypes: 'dynamic' },
  GraphApiAuditEvents: { RequestUri: 'string', ResponseSize: 'int', Timestamp: 'datetime' },
  IdentityAccountInfo: { AccountUpn: 'string', IsPrimary: 'bool', EnrolledMfas: 'dynamic', CriticalityLevel: 'int' },
  IdentityEvents: { ActionType: 'string', TargetObjects: 'dynamic' },
  MessageEvents: { TeamsMessageId: 'string', IsExternalThread: 'bool', RecipientDetails: 'dynamic' },
  MessagePostDeliveryEvents: { TeamsMessageId: 'string', LatestDeliveryLocation: 'string', IsExternalThread: 'bool' },
  MessageUrlInfo: { TeamsMessageId: 'string', UrlDomain: 'string' },
  OAuthAppInfo: { OAuthAppId: 'string', ConsentedUsersCount: 'int', Permissions: 'dynamic', IsAdminConsented: 'bool' },
  SigninLogs: { UserPrincipalName: 'string', ResultType: 'string', LocationDetails: 'dynamic', TimeGenerated: 'datetime' },
  AuditLogs: { OperationName: 'string', InitiatedBy: 'dynamic', TargetResources: 'dynamic' },
  SecurityEvent: { EventID: 'int', Account: 'string', Computer: 'string', LogonType: 'int', CommandLine: 'string' },
  CommonSecurityLog: { DeviceVendor: 'string', DestinationPort: 'int', SentBytes: 'long' },
  Syslog: { Facility: 'string', SyslogMessage: 'string', ProcessID: 'int' },
  OfficeActivity: { Operation: 'string', UserId: 'string', ClientIP: 'string' },
  SecurityAlert: { AlertName: 'string', Entities: 'string', ConfidenceScore: 'real' },
  SecurityIncident: { IncidentNumber: 'int', AlertIds: 'dynamic', Owner: 'dynamic' },
  ThreatIntelligenceIndicator: { NetworkIP: 'string', Active: 'bool', ExpirationDateTime: 'datetime' },
  Heartbeat: { Computer: 'string', ComputerPrivateIPs: 'dynamic' },
  AzureActivity: { OperationNameValue: 'string', Properties_d: 'dynamic' },
};

describe('the bundled schema (schemas/*.json)', () => {
  test.each(Object.entries(KEY_COLUMNS))('has %s with its key columns and published types', (table, columns) => {
    for (const [column, type] of Object.entries(columns)) expect([column, typeOf(table, column)]).toEqual([column, type]);
  });

  test('has every table on the published advanced-hunting table list (learn.microsoft.com/defender-xdr/advanced-hunting-schema-tables)', () => {
    const published = ['AADSignInEventsBeta', 'AADSpnSignInEventsBeta', 'AIAgentsInfo', 'AlertEvidence', 'AlertInfo', 'BehaviorEntities', 'BehaviorInfo', 'CampaignInfo',
      'CloudAppEvents', 'CloudAuditEvents', 'CloudDnsEvents', 'CloudProcessEvents', 'CloudStorageAggregatedEvents', 'DataSecurityBehaviors', 'DataSecurityEvents',
      'DeviceBaselineComplianceAssessment', 'DeviceBaselineComplianceAssessmentKB', 'DeviceBaselineComplianceProfiles', 'DeviceEvents', 'DeviceFileCertificateInfo',
      'DeviceFileEvents', 'DeviceImageLoadEvents', 'DeviceInfo', 'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceNetworkInfo', 'DeviceProcessEvents', 'DeviceRegistryEvents',
      'DeviceTvmBrowserExtensions', 'DeviceTvmBrowserExtensionsKB', 'DeviceTvmCertificateInfo', 'DeviceTvmHardwareFirmware', 'DeviceTvmInfoGathering', 'DeviceTvmInfoGatheringKB',
      'DeviceTvmSecureConfigurationAssessment', 'DeviceTvmSecureConfigurationAssessmentKB', 'DeviceTvmSoftwareEvidenceBeta', 'DeviceTvmSoftwareInventory',
      'DeviceTvmSoftwareVulnerabilities', 'DeviceTvmSoftwareVulnerabilitiesKB', 'DisruptionAndResponseEvents', 'EmailAttachmentInfo', 'EmailEvents', 'EmailPostDeliveryEvents',
      'EmailUrlInfo', 'EntraIdSignInEvents', 'EntraIdSpnSignInEvents', 'ExposureGraphEdges', 'ExposureGraphNodes', 'FileMaliciousContentInfo', 'GraphApiAuditEvents',
      'IdentityAccountInfo', 'IdentityDirectoryEvents', 'IdentityEvents', 'IdentityInfo', 'IdentityLogonEvents', 'IdentityQueryEvents', 'MessageEvents',
      'MessagePostDeliveryEvents', 'MessageUrlInfo', 'OAuthAppInfo', 'UrlClickEvents'];
    const bundled = new Set(DEFENDER_TABLES.map((t) => t.name));
    expect(published.filter((name) => !bundled.has(name))).toEqual([]);
  });

  test('Defender event tables carry both Timestamp and TimeGenerated as datetime (the same tables in a Sentinel workspace)', () => {
    const events = DEFENDER_TABLES.filter((t) => t.columns.some((c) => c.name === 'Timestamp'));
    expect(events.length).toBeGreaterThan(20);
    expect(events.filter((t) => typeOf(t.name, 'TimeGenerated') !== 'datetime').map((t) => t.name)).toEqual([]);
  });

  test('every Device event table has the full InitiatingProcess* set hunts project', () => {
    const expected = ['InitiatingProcessFileName', 'InitiatingProcessFolderPath', 'InitiatingProcessCommandLine', 'InitiatingProcessSHA1', 'InitiatingProcessAccountName', 'InitiatingProcessParentFileName'];
    for (const table of ['DeviceEvents', 'DeviceRegistryEvents', 'DeviceFileEvents', 'DeviceLogonEvents', 'DeviceImageLoadEvents', 'DeviceProcessEvents', 'DeviceNetworkEvents']) {
      expect([table, expected.filter((c) => typeOf(table, c) !== 'string')]).toEqual([table, []]);
    }
  });

  test('Sentinel tables have TimeGenerated and no invented Timestamp', () => {
    expect(SENTINEL_TABLES.length).toBeGreaterThanOrEqual(9);
    expect(SENTINEL_TABLES.filter((t) => typeOf(t.name, 'TimeGenerated') !== 'datetime' || typeOf(t.name, 'Timestamp') !== undefined).map((t) => t.name)).toEqual([]);
  });

  test('no table or column is named twice and every type is a Kusto type', () => {
    const names = BUNDLED_SCHEMA.tables.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(BUNDLED_SCHEMA.notes).toEqual([]);
    for (const t of BUNDLED_SCHEMA.tables) expect([t.name, new Set(t.columns.map((c) => c.name)).size]).toEqual([t.name, t.columns.length]);
  });
});

describe('the parser check knows the bundled tables', () => {
  test('accepts a hunt over DeviceRegistryEvents', () => {
    const kql = `DeviceRegistryEvents
| where Timestamp > ago(7d) and ActionType == "RegistryValueSet"
| where RegistryKey has @"\\CurrentVersion\\Run" and InitiatingProcessFileName !~ "explorer.exe"
| project Timestamp, DeviceName, RegistryKey, RegistryValueName, RegistryValueData, InitiatingProcessCommandLine`;
    expect(errorsOf(kql)).toEqual([]);
  });

  test('accepts a hunt over SigninLogs', () => {
    const kql = `SigninLogs
| where TimeGenerated > ago(1d) and ResultType != "0"
| extend City = tostring(LocationDetails.city)
| summarize Failures = count(), Cities = make_set(City) by UserPrincipalName, IPAddress`;
    expect(errorsOf(kql)).toEqual([]);
  });

  test('accepts a hunt over SecurityEvent joined to DeviceLogonEvents', () => {
    const kql = `SecurityEvent
| where TimeGenerated > ago(1d) and EventID == 4625 and LogonType == 3
| summarize Failed = count() by Computer, TargetUserName, IpAddress
| join kind=leftouter (DeviceLogonEvents | where ActionType == "LogonFailed" | summarize DefenderFailed = count() by DeviceName) on $left.Computer == $right.DeviceName`;
    expect(errorsOf(kql)).toEqual([]);
  });

  test('accepts a hunt over EntraIdSignInEvents joined to IdentityAccountInfo', () => {
    const kql = `EntraIdSignInEvents
| where Timestamp > ago(1d) and ErrorCode == 0 and RiskLevelAggregated >= 50
| summarize SignIns = count(), Ips = make_set(IPAddress) by AccountUpn
| join kind=inner (IdentityAccountInfo | where IsPrimary and CriticalityLevel > 2 | project AccountUpn, EnrolledMfas) on AccountUpn`;
    expect(errorsOf(kql)).toEqual([]);
  });

  test('accepts a hunt over CloudProcessEvents and one over DeviceTvmSecureConfigurationAssessment with its KB', () => {
    const cloud = `CloudProcessEvents
| where TimeGenerated > ago(7d) and ProcessCommandLine has "curl" and isnotempty(KubernetesPodName)
| summarize Count = count(), First = min(ProcessCreationTime) by KubernetesNamespace, KubernetesPodName, ProcessName`;
    const tvm = `DeviceTvmSecureConfigurationAssessment
| where IsApplicable and not(IsCompliant) and ConfigurationImpact > 5.0
| join kind=leftouter (DeviceTvmSecureConfigurationAssessmentKB | project ConfigurationId, ConfigurationName, Tags) on ConfigurationId
| project DeviceName, ConfigurationName, ConfigurationImpact, Tags`;
    expect(errorsOf(cloud)).toEqual([]);
    expect(errorsOf(tvm)).toEqual([]);
  });

  test('still refuses an unknown column with its position', () => {
    const [error] = errorsOf('DeviceRegistryEvents | where RegistryKeyy has "Run"');
    expect(error).toMatchObject({ code: 'KS142', line: 1 });
  });
});

describe('schema documents in the Log Analytics metadata shape', () => {
  const metadata = {
    tables: [
      { id: 'Vpn_CL', name: 'Vpn_CL', timespanColumn: 'TimeGenerated', columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'User_s', type: 'String' },
        { name: 'BytesSent_d', type: 'real' },
        { name: 'Ok_b', type: 'Boolean' },
        { name: 'Odd', type: 'hologram' },
      ] },
      { name: 'Vpn_CL', columns: [{ name: 'Ignored', type: 'string' }] },
    ],
    functions: [{ id: 'imProcessCreate', name: 'imProcessCreate', parameters: 'starttime:datetime=datetime(null), endtime:datetime=datetime(null)', body: 'DeviceProcessEvents | where Timestamp between (starttime .. endtime) | project TimeGenerated, DvcHostname = DeviceName, CommandLine = ProcessCommandLine' }],
  };

  test('reads tables, Log Analytics type spellings, and functions', () => {
    const schema = parseSchemaDocument(metadata, 'metadata');
    expect(schema.tables).toEqual([
      { name: 'Vpn_CL', columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'User_s', type: 'string' },
        { name: 'BytesSent_d', type: 'real' },
        { name: 'Ok_b', type: 'bool' },
        { name: 'Odd', type: 'dynamic' },
      ] },
    ]);
    expect(schema.notes).toEqual(["Vpn_CL.Odd: type 'hologram' is not a Kusto type; checked as dynamic"]);
    expect(schema.functions[0]).toMatchObject({ name: 'imProcessCreate', parameters: '(starttime:datetime=datetime(null), endtime:datetime=datetime(null))' });
  });

  test('a workspace schema lets a custom _CL table and an ASIM-style function check', () => {
    const check = queryCheckerFor(mergeSchemas(parseSchemaDocument(metadata, 'metadata'), BUNDLED_SCHEMA));
    expect(errorsOf('Vpn_CL | where User_s has "admin" and BytesSent_d > 1e6 | project TimeGenerated, User_s', check)).toEqual([]);
    expect(errorsOf('imProcessCreate(ago(1d), now()) | where CommandLine has "mimikatz" | project DvcHostname', check)).toEqual([]);
    expect(errorsOf('Vpn_CL | take 1')).toEqual([expect.objectContaining({ code: 'KS204' })]);
  });

  test('a document without a tables list is refused with what was expected', () => {
    expect(() => parseSchemaDocument({ value: [] }, 'x.json')).toThrow(SchemaFileError);
    expect(() => parseSchemaDocument([], 'x.json')).toThrow(/x\.json: not a schema document.*"tables"/);
  });
});
