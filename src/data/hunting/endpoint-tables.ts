import type { SampleDevice } from '../fleet';
import { Prng, digestHex } from '../prng';
import type { Row } from '../table-rows';
import { DAY, type HuntingPlan, type TableGenerator, guidOf, initiatingColumns, program, randomTime, recentTime, row, timeColumns } from './context';

/**
 * Endpoint context tables: miscellaneous device events, registry changes, network adapters and the
 * vulnerability-management inventory. Mostly ordinary activity, with a little that hunts look for
 * (a Run-key persistence, an encoded PowerShell command, an antivirus detection) on a few devices.
 */

const device = (d: SampleDevice): Row => ({ DeviceId: d.deviceId, DeviceName: d.deviceName });

/** The antivirus detections of the plan: DeviceEvents records them, AlertInfo/AlertEvidence alert on them. */
export function avDetections(plan: HuntingPlan): Array<{ device: SampleDevice; ms: number; fileName: string; folderPath: string; sha1: string; threat: string }> {
  const prng = Prng.for(plan.seed, 'hunting/detections');
  return prng.sample(plan.devices, Math.min(3, plan.devices.length)).map((d) => ({
    device: d,
    ms: recentTime(plan, prng),
    fileName: 'invoice_0412.js',
    folderPath: `C:\\Users\\${d.user.accountName}\\Downloads\\invoice_0412.js`,
    sha1: digestHex('sha1', `malware/invoice_0412.js`),
    threat: 'Trojan:JS/Nemucod.AB',
  }));
}

const EVENT_KINDS: ReadonlyArray<{ action: string; weight: number; by: string }> = [
  { action: 'PowerShellCommand', weight: 5, by: 'powershell.exe' },
  { action: 'ScheduledTaskCreated', weight: 1, by: 'svchost.exe' },
  { action: 'UsbDriveMounted', weight: 1, by: 'svchost.exe' },
  { action: 'DnsQueryResponse', weight: 4, by: 'svchost.exe' },
  { action: 'SmartScreenUrlWarning', weight: 1, by: 'msedge.exe' },
  { action: 'AntivirusScanCompleted', weight: 2, by: 'MsMpEng.exe' },
  { action: 'BrowserLaunchedToOpenUrl', weight: 2, by: 'OUTLOOK.EXE' },
];
const POWERSHELL = ['Get-ChildItem', 'Get-Process', 'Import-Module', 'Get-Service', 'Test-NetConnection', 'Get-ItemProperty'];
const DOMAINS = ['login.microsoftonline.com', 'outlook.office365.com', 'teams.microsoft.com', 'github.com', 'www.bing.com', 'contoso.sharepoint.com'];

export const deviceEvents: TableGenerator = function* (plan, prng) {
  const count = plan.devices.length * 10;
  let reportId = 50_000;
  for (let i = 0; i < count; i++) {
    const d = prng.pick(plan.devices);
    const kind = prng.weighted(EVENT_KINDS, EVENT_KINDS.map((k) => k.weight));
    const ms = randomTime(plan, prng);
    yield row('DeviceEvents', timeColumns(ms), device(d), initiatingColumns(d, program(kind.by), ms, prng), { ActionType: kind.action, ReportId: reportId++, ...eventDetails(kind.action, d, prng) });
  }
  // What hunts look for, on a few devices: an encoded command, then a Defender detection.
  for (const detection of avDetections(plan)) {
    const d = detection.device;
    yield row('DeviceEvents', timeColumns(detection.ms - 60_000), device(d), initiatingColumns(d, program('powershell.exe'), detection.ms, prng), { ActionType: 'PowerShellCommand', ReportId: reportId++,
      InitiatingProcessCommandLine: 'powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
      AdditionalFields: { Command: 'Invoke-Expression' },
    });
    yield row('DeviceEvents', timeColumns(detection.ms), device(d), initiatingColumns(d, program('MsMpEng.exe'), detection.ms, prng), { ActionType: 'AntivirusDetection', ReportId: reportId++,
      FileName: detection.fileName, FolderPath: detection.folderPath, SHA1: detection.sha1, SHA256: digestHex('sha256', detection.sha1),
      AdditionalFields: { ThreatName: detection.threat, WasRemediated: true, Action: 'quarantine' },
    });
  }
};

function eventDetails(action: string, d: SampleDevice, prng: Prng): Row {
  switch (action) {
    case 'PowerShellCommand':
      return { AdditionalFields: { Command: prng.pick(POWERSHELL) } };
    case 'ScheduledTaskCreated':
      return { AdditionalFields: { TaskName: `\\Microsoft\\Windows\\UpdateOrchestrator\\Schedule Scan ${prng.int(1, 9)}` } };
    case 'UsbDriveMounted':
      return { AdditionalFields: { DriveLetter: 'E:', ProductName: 'SanDisk Ultra', Manufacturer: 'SanDisk', SerialNumber: digestHex('md5', `usb/${d.deviceId}`).slice(0, 12) } };
    case 'DnsQueryResponse':
    case 'SmartScreenUrlWarning':
    case 'BrowserLaunchedToOpenUrl': {
      const host = prng.pick(DOMAINS);
      return { RemoteUrl: action === 'DnsQueryResponse' ? host : `https://${host}/`, AdditionalFields: action === 'DnsQueryResponse' ? { DnsQueryString: host } : null };
    }
    default:
      return { AdditionalFields: { ScanTypeIndex: prng.int(1, 2) } };
  }
}

const RUN_KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
const REGISTRY: ReadonlyArray<{ key: string; value: string; data: string; by: string; type: string }> = [
  { key: RUN_KEY, value: 'OneDrive', data: '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background', by: 'OneDrive.exe', type: 'String' },
  { key: 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\WinDefend', value: 'Start', data: '2', by: 'svchost.exe', type: 'Dword' },
  { key: 'HKEY_CURRENT_USER\\S-1-5-21\\SOFTWARE\\Microsoft\\Office\\16.0\\Outlook\\Profiles', value: 'DefaultProfile', data: 'Outlook', by: 'OUTLOOK.EXE', type: 'String' },
  { key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge', value: 'SmartScreenEnabled', data: '1', by: 'svchost.exe', type: 'Dword' },
  { key: 'HKEY_CURRENT_USER\\S-1-5-21\\SOFTWARE\\Microsoft\\Teams', value: 'LastLogin', data: 'ok', by: 'ms-teams.exe', type: 'String' },
];

export const deviceRegistryEvents: TableGenerator = function* (plan, prng) {
  const count = plan.devices.length * 6;
  let reportId = 70_000;
  for (let i = 0; i < count; i++) {
    const d = prng.pick(plan.devices);
    const change = prng.pick(REGISTRY);
    const ms = randomTime(plan, prng);
    yield row('DeviceRegistryEvents', timeColumns(ms), device(d), initiatingColumns(d, program(change.by), ms, prng), { ReportId: reportId++,
      ActionType: prng.chance(0.8) ? 'RegistryValueSet' : 'RegistryKeyCreated', RegistryKey: change.key, RegistryValueName: change.value, RegistryValueData: change.data, RegistryValueType: change.type,
    });
  }
  // Persistence a hunt should find: a Run value pointing into a user's temp folder.
  for (const d of prng.sample(plan.devices, Math.min(2, plan.devices.length))) {
    const ms = recentTime(plan, prng);
    yield row('DeviceRegistryEvents', timeColumns(ms), device(d), initiatingColumns(d, program('powershell.exe'), ms, prng), { ReportId: reportId++,
      ActionType: 'RegistryValueSet', RegistryKey: RUN_KEY, RegistryValueName: 'WindowsUpdater', RegistryValueType: 'String',
      RegistryValueData: `C:\\Users\\${d.user.accountName}\\AppData\\Local\\Temp\\wupd.exe -silent`,
    });
  }
};

export const deviceNetworkInfo: TableGenerator = function* (plan, prng) {
  let reportId = 90_000;
  for (const d of plan.devices) {
    const mac = digestHex('md5', `mac/${d.deviceId}`).slice(0, 12).toUpperCase().replace(/(..)(?!$)/g, '$1-');
    const gateway = d.localIp.replace(/\.\d+$/, '.1');
    for (let day = 0; day < 30; day += 7) {
      const ms = plan.nowMs - day * DAY - prng.int(0, DAY - 1);
      yield row('DeviceNetworkInfo', timeColumns(ms), device(d), { ReportId: reportId++,
        NetworkAdapterName: 'Ethernet', MacAddress: mac, NetworkAdapterType: 'Ethernet', NetworkAdapterStatus: 'Up', NetworkAdapterVendor: 'Intel Corporation', TunnelType: '',
        ConnectedNetworks: [{ Name: 'contoso.local', Category: 'Domain', Description: 'contoso.local', IsConnectedToInternet: true }],
        DnsAddresses: ['10.0.0.10', '10.0.0.11'], IPv4Dhcp: '10.0.0.5', IPv6Dhcp: '', DefaultGateways: [gateway],
        IPAddresses: [{ IPAddress: d.localIp, SubnetPrefix: 24, AddressType: 'Private' }],
      });
    }
  }
};

const SOFTWARE: ReadonlyArray<{ vendor: string; name: string; versions: readonly string[]; cves: readonly string[] }> = [
  { vendor: 'microsoft', name: 'edge', versions: ['131.0.2903.112', '130.0.2849.80'], cves: ['CVE-2024-49041'] },
  { vendor: 'google', name: 'chrome', versions: ['131.0.6778.140', '129.0.6668.90'], cves: ['CVE-2024-12053', 'CVE-2024-9369'] },
  { vendor: 'adobe', name: 'acrobat_reader_dc', versions: ['24.005.20320', '23.008.20470'], cves: ['CVE-2024-41869'] },
  { vendor: 'zoom', name: 'zoom', versions: ['6.2.11', '5.17.11'], cves: ['CVE-2024-24691'] },
  { vendor: 'oracle', name: 'jre', versions: ['8.0.431', '8.0.401'], cves: ['CVE-2024-21147'] },
  { vendor: 'python', name: 'python', versions: ['3.12.7', '3.11.4'], cves: ['CVE-2024-6232'] },
  { vendor: 'notepad-plus-plus', name: 'notepad++', versions: ['8.7.1', '8.5.8'], cves: ['CVE-2023-40031'] },
  { vendor: '7-zip', name: '7-zip', versions: ['24.08', '23.01'], cves: ['CVE-2024-11477'] },
  { vendor: 'mozilla', name: 'firefox', versions: ['133.0.3', '128.0'], cves: ['CVE-2024-9680'] },
];

/** What each device has installed, in a stable order: the inventory and its vulnerabilities agree. */
function installedSoftware(d: SampleDevice, prng: Prng): Array<{ vendor: string; name: string; version: string; cves: readonly string[]; outdated: boolean }> {
  return prng.sample(SOFTWARE, prng.int(3, 6)).map((s) => {
    const outdated = prng.chance(0.25);
    return { vendor: s.vendor, name: s.name, version: s.versions[outdated ? 1 : 0], cves: outdated ? s.cves : [], outdated };
  });
}

function osColumns(d: SampleDevice): Row {
  return { OSPlatform: d.osPlatform, OSVersion: d.osVersion, OSArchitecture: 'x64' };
}

export const deviceTvmSoftwareInventory: TableGenerator = function* (plan, prng) {
  for (const d of plan.devices) {
    for (const s of installedSoftware(d, prng)) {
      yield row('DeviceTvmSoftwareInventory', device(d), osColumns(d), { SoftwareVendor: s.vendor, SoftwareName: s.name, SoftwareVersion: s.version,
        EndOfSupportStatus: s.name === 'jre' && s.outdated ? 'EOS Version' : '', ProductCodeCpe: `cpe:2.3:a:${s.vendor}:${s.name}:${s.version}:*:*:*:*:*:*:*`,
      });
    }
  }
};

export const deviceTvmSoftwareVulnerabilities: TableGenerator = function* (plan, prng) {
  for (const d of plan.devices) {
    // The same stream as the inventory's, so a vulnerable version is one the inventory lists.
    for (const s of installedSoftware(d, prng)) {
      for (const cve of s.cves) {
        const critical = parseInt(digestHex('md5', cve).slice(0, 2), 16) % 3 === 0;
        yield row('DeviceTvmSoftwareVulnerabilities', device(d), osColumns(d), { SoftwareVendor: s.vendor, SoftwareName: s.name, SoftwareVersion: s.version, CveId: cve,
          VulnerabilitySeverityLevel: critical ? 'Critical' : 'High', RecommendedSecurityUpdate: `Update ${s.name} to the latest version`,
          RecommendedSecurityUpdateId: guidOf(`fix/${cve}`), CveTags: critical ? ['ExploitAvailable'] : [],
        });
      }
    }
  }
};
