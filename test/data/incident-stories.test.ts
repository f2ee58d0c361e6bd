import { KqlDatabase, KqlEngine } from '../../src/kql';
import { generateTelemetry, samplePlan } from '../../src/data/generator';

/** The lookups' planted incidents are in the sample telemetry, where a responder would look for them. */
const NOW = new Date('2026-11-28T03:00:00Z');
const options = { now: NOW, rows: 8000, devices: 120 };
const plan = samplePlan(options);
const data = generateTelemetry(options);
const engine = new KqlEngine(KqlDatabase.fromRows(data));
const query = (kql: string) => engine.query(kql, { now: NOW }).rows;

describe('the incident stories in the sample telemetry', () => {
  const { dropper, rareDomain, logons } = plan.stories;

  test('a dropped file with one SHA256 is written on three devices and loaded as a module on a fourth', () => {
    const written = query(`DeviceFileEvents | where SHA256 == '${dropper.file.sha256}' | distinct DeviceName`).map((r) => r[0]);
    expect(new Set(written)).toEqual(new Set(dropper.writtenOn.map((d) => d.deviceName)));
    const loaded = query(`DeviceImageLoadEvents | where SHA256 == '${dropper.file.sha256}' | distinct DeviceName`).map((r) => r[0]);
    expect(loaded).toEqual([dropper.loadedOn.deviceName]);
  });

  test('a look-alike whose SHA256 differs in one character sits on another device', () => {
    expect(dropper.lookAlike.sha256.slice(0, 63)).toBe(dropper.file.sha256.slice(0, 63));
    expect(dropper.lookAlike.sha256).not.toBe(dropper.file.sha256);
    const rows = query(`DeviceFileEvents | where SHA256 == '${dropper.lookAlike.sha256}' | distinct DeviceName`);
    expect(rows).toEqual([[dropper.lookAlikeOn.deviceName]]);
  });

  test('exactly one device talks to the rare domain, from the dropped binary', () => {
    const rows = query(`DeviceNetworkEvents | where RemoteUrl endswith '${rareDomain.domain}' | distinct DeviceName, InitiatingProcessSHA256`);
    expect(rows).toEqual([[rareDomain.device.deviceName, dropper.file.sha256]]);
  });

  test('an account fails to log on to an unusual device several times, then succeeds', () => {
    const { name, domain } = logons.account;
    const rows = query(
      `DeviceLogonEvents | where AccountName == '${name}' and AccountDomain == '${domain}' and DeviceName == '${logons.unusualDevice.deviceName}' | order by Timestamp asc | project ActionType`,
    ).map((r) => r[0]);
    expect(rows).toEqual([...Array(logons.failures).fill('LogonFailed'), 'LogonSuccess']);
    expect(logons.unusualDevice.deviceId).not.toBe(logons.homeDevice.deviceId);
  });

  test('every story happened within the last two days', () => {
    const since = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
    for (const table of ['DeviceFileEvents', 'DeviceImageLoadEvents', 'DeviceLogonEvents']) {
      expect(data[table].length).toBeGreaterThan(0);
    }
    const old = query(`DeviceFileEvents | where SHA256 == '${dropper.file.sha256}' and Timestamp < datetime(${since}) | count`);
    expect(old).toEqual([[0]]);
  });
});
