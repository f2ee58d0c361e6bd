import { type Prng, digestHex } from './prng';
import { uuidV5 } from '../util/uuid-v5';

/** The sample organisation's devices and their users. */
export interface SampleDevice {
  /** 40 hex characters, as Defender writes DeviceId. */
  deviceId: string;
  /** `fin-ws-0142.contoso.local`. */
  deviceName: string;
  aadDeviceId: string;
  department: string;
  type: 'Workstation' | 'Laptop' | 'Server';
  osPlatform: string;
  osBuild: number;
  osVersion: string;
  localIp: string;
  publicIp: string;
  vendor: string;
  model: string;
  user: SampleUser;
}

export interface SampleUser {
  accountName: string;
  accountDomain: string;
  upn: string;
  sid: string;
  objectId: string;
}

const DOMAIN = 'contoso.local';
const UPN_SUFFIX = 'contoso.com';
const NAMESPACE = '4d7f0a52-3c1e-4b8e-a6f2-0e9c5d1b7a43';

const DEPARTMENTS = ['fin', 'hr', 'eng', 'ops', 'mkt', 'sales', 'it', 'legal', 'rnd', 'sup'];
const FIRST_NAMES = ['alex', 'maria', 'sam', 'priya', 'jonas', 'li', 'fatima', 'noah', 'elena', 'kwame', 'sofia', 'david', 'aiko', 'omar', 'grace', 'lucas', 'nina', 'ravi', 'hannah', 'mateo', 'chloe', 'yusuf', 'ines', 'tom'];
const LAST_NAMES = ['nguyen', 'garcia', 'smith', 'patel', 'muller', 'chen', 'haddad', 'johnson', 'rossi', 'mensah', 'kowalski', 'tanaka', 'silva', 'okafor', 'berg', 'dubois', 'ivanova', 'khan', 'murphy', 'larsen'];
const HARDWARE: ReadonlyArray<[string, string]> = [
  ['Dell Inc.', 'Latitude 7440'],
  ['Dell Inc.', 'OptiPlex 7010'],
  ['HP', 'EliteBook 840 G10'],
  ['Lenovo', 'ThinkPad T14 Gen 4'],
  ['Microsoft Corporation', 'Surface Laptop 5'],
];
const SERVER_HARDWARE: ReadonlyArray<[string, string]> = [
  ['VMware, Inc.', 'VMware7,1'],
  ['Microsoft Corporation', 'Virtual Machine'],
];

export function buildFleet(prng: Prng, count: number): SampleDevice[] {
  const devices: SampleDevice[] = [];
  const usedNames = new Set<string>();
  const usedUpns = new Set<string>();
  while (devices.length < count) {
    const department = prng.pick(DEPARTMENTS);
    const type = department === 'it' || department === 'ops' ? prng.weighted(['Server', 'Workstation', 'Laptop'] as const, [4, 3, 3]) : prng.weighted(['Workstation', 'Laptop', 'Server'] as const, [5, 5, 1]);
    const prefix = type === 'Server' ? 'srv' : type === 'Laptop' ? 'lt' : 'ws';
    const deviceName = `${department}-${prefix}-${String(prng.int(1, 9999)).padStart(4, '0')}.${DOMAIN}`;
    if (usedNames.has(deviceName)) continue;
    usedNames.add(deviceName);

    const user = userFor(prng, usedUpns, type === 'Server');
    const [vendor, model] = prng.pick(type === 'Server' ? SERVER_HARDWARE : HARDWARE);
    const windows11 = type !== 'Server' && prng.chance(0.7);
    devices.push({
      deviceId: digestHex('sha1', `${NAMESPACE}/${deviceName}`),
      deviceName,
      aadDeviceId: uuidV5(NAMESPACE, deviceName),
      department,
      type,
      osPlatform: type === 'Server' ? 'WindowsServer2022' : windows11 ? 'Windows11' : 'Windows10',
      osBuild: type === 'Server' ? 20348 : windows11 ? 26100 : 19045,
      osVersion: type === 'Server' ? '21H2' : windows11 ? '24H2' : '22H2',
      localIp: `10.${prng.int(1, 40)}.${prng.int(0, 255)}.${prng.int(2, 254)}`,
      publicIp: `203.0.113.${prng.int(1, 254)}`,
      vendor,
      model,
      user,
    });
  }
  return devices;
}

function userFor(prng: Prng, used: Set<string>, server: boolean): SampleUser {
  for (;;) {
    const first = prng.pick(FIRST_NAMES);
    const last = prng.pick(LAST_NAMES);
    const accountName = server ? `adm-${first[0]}${last}` : `${first}.${last}`;
    const upn = `${accountName}@${UPN_SUFFIX}`;
    if (used.has(upn) && used.size < FIRST_NAMES.length * LAST_NAMES.length) continue;
    used.add(upn);
    return {
      accountName,
      accountDomain: 'CONTOSO',
      upn,
      sid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + prng.int(1, 50_000)}`,
      objectId: uuidV5(NAMESPACE, upn),
    };
  }
}
