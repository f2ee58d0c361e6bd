import { KqlEngine, warmUpKql } from '../../src/kql';
import { sampleNow, samplePlan } from '../../src/data/generator';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';
import { sampleDatabase } from '../../src/data/sample-data';
import { HuntCatalog } from '../../src/hunts/catalog';
import { renderHuntQuery } from '../../src/hunts/render';
import type { HuntDefinition } from '../../src/domain/hunt-definition';

const NOW = new Date('2026-11-28T03:00:00Z');
const DAY = 86_400_000;

/** Hunt → devices it finds in the default sample data over the given number of days. */
function runAll(engine: KqlEngine, hunts: HuntDefinition[], days: number, end: Date = NOW): Map<HuntDefinition, string[]> {
  const found = new Map<HuntDefinition, string[]>();
  for (const hunt of hunts) {
    const result = engine.query(renderHuntQuery(hunt, { window: { start: new Date(end.getTime() - days * DAY), end } }), { now: end });
    const column = result.columns.findIndex((c) => c.name === 'DeviceId');
    found.set(hunt, result.rows.map((row) => String(row[column])));
  }
  return found;
}

describe('the default sample data', () => {
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });
  // The lookups need an entity; the incident-stories test and the lookup tests run them on this data.
  const rmmHunts = catalog.hunts().filter((h) => h.family === 'rmm');
  const database = sampleDatabase({ now: NOW });
  const plan = samplePlan({ now: NOW });
  let engine: KqlEngine;
  let lastFiveDays: Map<HuntDefinition, string[]>;

  beforeAll(async () => {
    await warmUpKql();
    engine = new KqlEngine(database);
    lastFiveDays = runAll(engine, rmmHunts, 5);
  });

  test('is built once per process for the same seed and now', () => {
    expect(sampleDatabase({ now: NOW })).toBe(database);
    expect(database.tableNames().sort()).toEqual(
      ['DeviceFileCertificateInfo', 'DeviceFileEvents', 'DeviceImageLoadEvents', 'DeviceInfo', 'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceProcessEvents', ...HUNTING_TABLES].sort(),
    );
  });

  test('gives every hunt at least one device over the default 5-day window', () => {
    const empty = [...lastFiveDays].filter(([, devices]) => devices.length === 0).map(([hunt]) => `${hunt.tool} ${hunt.kind}`);
    expect(empty).toEqual([]);
  });

  test('still gives every hunt a device when the hunt runs at the end of the hour the data was anchored to', () => {
    const lateInTheHour = new Date(NOW.getTime() + 3_599_999);
    const found = runAll(engine, rmmHunts, 5, lateInTheHour);
    const empty = [...found].filter(([, devices]) => devices.length === 0).map(([hunt]) => `${hunt.tool} ${hunt.kind}`);
    expect(empty).toEqual([]);
  });

  test('never lets a hunt find a device that only has look-alikes', () => {
    const decoyDevices = new Set(plan.installs.filter((i) => i.decoy).map((i) => i.device.deviceId));
    const wrong = [...lastFiveDays].filter(([, devices]) => devices.some((d) => decoyDevices.has(d))).map(([hunt]) => `${hunt.tool} ${hunt.kind}`);
    expect(wrong).toEqual([]);
  });

  test('keeps hits to a minority of devices for every per-tool hunt', () => {
    const crowded = [...lastFiveDays].filter(([hunt, devices]) => hunt.tool !== 'any' && devices.length > plan.devices.length / 10);
    expect(crowded.map(([hunt]) => hunt.tool)).toEqual([]);
  });

  test('a 30-day window also finds installs removed more than a week ago', () => {
    const desktopNow = catalog.resolve('rmm', 'desktopnow');
    if (!desktopNow.ok) throw new Error(desktopNow.message);
    const [hunt] = desktopNow.hunts;
    const removed = plan.installs.filter((i) => i.tool === 'DesktopNow' && !i.decoy && !i.recent).map((i) => i.device.deviceId);
    const thirtyDays = runAll(engine, [hunt], 30).get(hunt) ?? [];
    const onlyOld = removed.filter((d) => !plan.installs.some((i) => i.recent && !i.decoy && i.tool === 'DesktopNow' && i.device.deviceId === d));
    expect(onlyOld.length).toBeGreaterThan(0);
    for (const device of onlyOld) {
      expect(thirtyDays).toContain(device);
      expect(lastFiveDays.get(hunt)).not.toContain(device);
    }
  });
});

describe("the sample data's default now", () => {
  test('is the start of the current UTC hour, so the bot and the CLI started within the hour agree', () => {
    expect(sampleNow(new Date('2026-11-28T03:59:59.999Z')).toISOString()).toBe('2026-11-28T03:00:00.000Z');
    expect(sampleNow(new Date('2026-11-28T04:00:00.000Z')).toISOString()).toBe('2026-11-28T04:00:00.000Z');
  });

  test('is what the bot uses when it is not given a now', () => {
    const before = sampleNow();
    const plan = samplePlan();
    const after = sampleNow();
    expect([before.getTime(), after.getTime()]).toContain(plan.nowMs);
  });
});
