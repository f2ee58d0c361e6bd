import { KqlDatabase, KqlEngine, checkQuery, warmUpKql } from '../../src/kql';
import { renderHuntQuery } from '../../src/hunts/render';
import { checkDevice, MAX_DEVICE_LENGTH } from '../../src/hunts/device-scope';
import { DAY, NOW, catalogWithoutAnalysis, huntNamed, lastDays } from './hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const desktopNow = huntNamed(catalog, 'desktopnow', 'filesig');

/** Values a responder (or someone pasting into chat) might send as the device: each must stay one literal. */
const HOSTILE = [
  "ws-0042'",
  "ws-0042'|take",
  "x'or'1'=='1",
  'ws-0042"',
  'ws-0042\\',
  "ws-0042\\'",
  '|',
  "'|where(true)|take(1)//",
  'where',
  'or',
  'project',
  ';DeviceInfo',
  '{{TimeStart}}',
  'datetime(2020-01-01)',
  "x')or(true",
  '"""',
  '```',
  '\\u0027',
  'pc-7.contoso.local\'|union(DeviceInfo)',
];

function cert(deviceId: string, deviceName: string, reportId: number): Record<string, unknown> {
  const at = new Date(NOW.getTime() - DAY).toISOString();
  return { Timestamp: at, TimeGenerated: at, DeviceId: deviceId, DeviceName: deviceName, Signer: 'NCH Software Pty Ltd', ReportId: reportId };
}

const ORDINARY = [
  cert('aa11', 'ws-0042.contoso.local', 1),
  cert('bb22', 'ws-00420.contoso.local', 2),
  cert('cc33', 'xws-0042.contoso.local', 3),
  cert('dd44', 'srv-0001', 4),
];

// Every hostile value is also a device's real name, so "only that device" proves the value stayed a literal.
const engine = new KqlEngine(
  KqlDatabase.fromRows({ DeviceFileCertificateInfo: [...ORDINARY, ...HOSTILE.map((name, i) => cert(`hostile-${i}`, name, 100 + i))] }),
);

function devicesOn(device: string): string[] {
  const result = engine.query(renderHuntQuery(desktopNow, { window: lastDays(5), scope: { device } }), { now: NOW, watchlists: {} });
  const index = result.columns.findIndex((c) => c.name === 'DeviceId');
  return result.rows.map((row) => String(row[index])).sort();
}

beforeAll(async () => {
  await warmUpKql();
});

describe('a hunt scoped to one device', () => {
  test('keeps the device by its short name, its FQDN or its DeviceId, in any case, and no look-alike', () => {
    expect(devicesOn('ws-0042')).toEqual(['aa11']);
    expect(devicesOn('WS-0042')).toEqual(['aa11']);
    expect(devicesOn('WS-0042.contoso.local')).toEqual(['aa11']);
    expect(devicesOn('AA11')).toEqual(['aa11']);
    expect(devicesOn('srv-0001')).toEqual(['dd44']);
    expect(devicesOn('ws-004')).toEqual([]);
    expect(devicesOn('ws-0042.contoso')).toEqual([]);
  });

  test('adds one filter after the hunt and before the benign-tag mark, with the device only as string literals', () => {
    const kql = renderHuntQuery(desktopNow, {
      window: lastDays(5),
      scope: { device: 'WS-0042' },
      exclusions: { watchlistAlias: 'HuntBotExclusions', huntKey: 'rmm/desktopnow', now: NOW, mode: 'mark' },
    });
    const lines = kql.split('\n');
    expect(lines[lines.length - 2]).toBe("| where DeviceName =~ 'WS-0042' or DeviceName startswith 'WS-0042.' or DeviceId =~ 'WS-0042'");
    expect(lines[lines.length - 1]).toMatch(/^\| extend BenignTagged = /);
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
  });

  test('does not add the short-name match for a value with a dot', () => {
    const kql = renderHuntQuery(desktopNow, { window: lastDays(5), scope: { device: 'ws-0042.contoso.local' } });
    expect(kql.split('\n').pop()).toBe("| where DeviceName =~ 'ws-0042.contoso.local' or DeviceId =~ 'ws-0042.contoso.local'");
  });

  test.each(HOSTILE.map((value, i) => [value, i] as const))('keeps %p a literal: the parser finds no error and only the device of that exact name is kept', (value, i) => {
    expect(checkDevice(value)).toEqual({ ok: true, device: value });
    const kql = renderHuntQuery(desktopNow, { window: lastDays(5), scope: { device: value } });
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
    // One filter line added, nothing else: the value could not open a second pipe stage or a new statement.
    expect(kql.split('\n').length).toBe(renderHuntQuery(desktopNow, { window: lastDays(5) }).split('\n').length + 1);
    expect(devicesOn(value)).toEqual([`hostile-${i}`]);
  });

  test.each([
    ['a newline', 'ws-0042\n| take 1'],
    ['a carriage return', 'ws-0042\r'],
    ['a space', 'ws 0042'],
    ['a tab', 'ws-0042\t'],
    ['a NUL', 'ws-0042\u0000'],
    ['a right-to-left override', 'ws-0042\u202e'],
    ['a zero-width space', 'ws\u200b-0042'],
    ['a line separator', 'ws-0042\u2028'],
    ['nothing', ''],
    ['too many characters', 'w'.repeat(MAX_DEVICE_LENGTH + 1)],
  ])('refuses a device value with %s, with a message naming what a device looks like, and never renders it', (_what, value) => {
    const checked = checkDevice(value);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.message).toContain('WS-0042');
      expect(checked.message).not.toContain(value === '' ? '\u0000' : value);
    }
    expect(() => renderHuntQuery(desktopNow, { window: lastDays(5), scope: { device: value } })).toThrow(TypeError);
  });

  test('accepts a value of the longest allowed length', () => {
    expect(checkDevice('w'.repeat(MAX_DEVICE_LENGTH)).ok).toBe(true);
  });
});
