import type { SampleDevice } from './fleet';
import { Prng, digestHex } from './prng';
import { type AccountFacts, type ProgramFacts, type RowValues, accountOf, fileEventRow, imageLoadRow, logonRow, networkRow } from './table-rows';

/**
 * Planted incident stories for the entity lookups, so every `lookup` has something real to find on a
 * fresh clone: a dropped binary whose hash turns up on several devices (and a look-alike whose hash
 * differs in one character), one device talking to a rare domain, and an account that fails to log on
 * to an unusual device a few times and then succeeds.
 */
export interface IncidentStories {
  dropper: {
    file: ProgramFacts;
    /** Devices where the file was written (DeviceFileEvents). */
    writtenOn: SampleDevice[];
    /** A device where it was loaded as a module (DeviceImageLoadEvents). */
    loadedOn: SampleDevice;
    /** A different file whose SHA256 differs from the dropper's in the last character, and where it is. */
    lookAlike: ProgramFacts;
    lookAlikeOn: SampleDevice;
  };
  rareDomain: { host: string; domain: string; ip: string; device: SampleDevice; originUrl: string };
  logons: { account: AccountFacts; unusualDevice: SampleDevice; homeDevice: SampleDevice; failures: number };
}

const HOUR = 3_600_000;
const DROPPER_FOLDER = 'C:\\Users\\Public\\Downloads\\';

export function incidentStories(seed: number, devices: readonly SampleDevice[]): IncidentStories {
  const prng = Prng.for(seed, 'incident-stories');
  const picked = prng.sample(devices, Math.min(devices.length, 8));
  const at = (i: number) => picked[i % picked.length];
  const sha256 = digestHex('sha256', `story/${seed}/invoice-viewer.exe`);
  const lastChar = sha256[63] === '0' ? '1' : '0';
  const file = storyFile('invoice-viewer.exe', sha256);
  const lookAlike = storyFile('invoice-viewer.exe', `${sha256.slice(0, 63)}${lastChar}`);
  const workstations = devices.filter((d) => d.type !== 'Server');
  const servers = devices.filter((d) => d.type === 'Server');
  const homeDevice = prng.pick(workstations.length > 0 ? workstations : devices);
  const unusual = prng.pick(servers.length > 0 ? servers : devices.filter((d) => d !== homeDevice));
  return {
    dropper: { file, writtenOn: [at(0), at(1), at(2)], loadedOn: at(3), lookAlike, lookAlikeOn: at(4) },
    rareDomain: { host: 'c2.evil-example.com', domain: 'evil-example.com', ip: '198.51.100.66', device: at(0), originUrl: 'https://files.evil-example.com/invoice-viewer.exe' },
    logons: { account: accountOf(homeDevice, false), unusualDevice: unusual, homeDevice, failures: 6 },
  };
}

/** The stories' rows of one table, all within the last two days before `nowMs`. */
export function incidentStoryRows(table: string, stories: IncidentStories, nowMs: number, seed: number, nextReportId: () => number): RowValues[] {
  const prng = Prng.for(seed, `incident-stories/${table}`);
  const recent = (hoursAgo: number) => nowMs - hoursAgo * HOUR - prng.int(0, 3_599_999);
  const { dropper, rareDomain, logons } = stories;
  const browser = storyProgram('msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
  switch (table) {
    case 'DeviceFileEvents':
      return [
        ...dropper.writtenOn.map((device, i) =>
          fileEventRow({ device, ms: recent(30 - i * 6), file: dropper.file, actionType: 'FileCreated', initiating: browser, account: accountOf(device, false), originUrl: rareDomain.originUrl, prng, reportId: nextReportId() }),
        ),
        fileEventRow({ device: dropper.lookAlikeOn, ms: recent(20), file: dropper.lookAlike, actionType: 'FileCreated', initiating: browser, account: accountOf(dropper.lookAlikeOn, false), prng, reportId: nextReportId() }),
      ];
    case 'DeviceImageLoadEvents': {
      const rundll = storyProgram('rundll32.exe', 'C:\\Windows\\System32\\rundll32.exe');
      return [imageLoadRow({ device: dropper.loadedOn, ms: recent(12), image: dropper.file, initiating: rundll, account: accountOf(dropper.loadedOn, false), prng, reportId: nextReportId() })];
    }
    case 'DeviceNetworkEvents':
      return [3, 9, 15].map((hoursAgo) =>
        networkRow({ device: rareDomain.device, ms: recent(hoursAgo), program: dropper.file, account: accountOf(rareDomain.device, false), remoteUrl: rareDomain.host, remoteIp: rareDomain.ip, remotePort: 443, prng, reportId: nextReportId() }),
      );
    case 'DeviceLogonEvents': {
      const from = { deviceName: logons.homeDevice.deviceName, ip: logons.homeDevice.localIp };
      const rows = Array.from({ length: logons.failures }, (_, i) =>
        logonRow({ device: logons.unusualDevice, ms: nowMs - 5 * HOUR - (logons.failures - i) * 60_000, account: logons.account, success: false, logonType: 'RemoteInteractive', remote: from, prng, reportId: nextReportId() }),
      );
      rows.push(logonRow({ device: logons.unusualDevice, ms: nowMs - 5 * HOUR, account: logons.account, success: true, logonType: 'RemoteInteractive', remote: from, prng, reportId: nextReportId() }));
      return rows;
    }
    default:
      return [];
  }
}

function storyFile(fileName: string, sha256: string): ProgramFacts {
  return {
    company: '',
    product: '',
    description: '',
    originalFileName: fileName,
    fileName,
    folderPath: `${DROPPER_FOLDER}${fileName}`,
    sha1: digestHex('sha1', sha256),
    sha256,
    md5: digestHex('md5', sha256),
  };
}

function storyProgram(fileName: string, folderPath: string): ProgramFacts {
  return {
    company: 'Microsoft Corporation',
    product: fileName === 'msedge.exe' ? 'Microsoft Edge' : 'Microsoft® Windows® Operating System',
    description: fileName,
    originalFileName: fileName,
    fileName,
    folderPath,
    sha1: digestHex('sha1', folderPath),
    sha256: digestHex('sha256', folderPath),
    md5: digestHex('md5', folderPath),
  };
}
