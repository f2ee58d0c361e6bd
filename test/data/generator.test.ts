import { DEFENDER_TABLES } from '../../src/kql/bundled-schema';
import { TELEMETRY_TABLES, generateTelemetry, minimumTelemetryRows, samplePlan, tableRowCounts, telemetryRows } from '../../src/data/generator';
import { kqlHas } from '../../src/data/kql-has';
import { rmmToolIdentities } from '../../src/data/rmm-identities';

const NOW = new Date('2026-11-28T03:00:00Z');
const DAY = 86_400_000;
const small = { now: NOW, rows: 8000, devices: 120 };
const data = generateTelemetry(small);

describe('generateTelemetry', () => {
  test('gives the same rows for the same seed and now', () => {
    expect(generateTelemetry(small)).toEqual(data);
  });

  test('gives different rows for a different seed', () => {
    // One table is enough: a table's rows are the same alone as alongside the others (next test).
    const other = generateTelemetry({ ...small, seed: 7, tables: ['DeviceProcessEvents'] });
    expect(other.DeviceProcessEvents.slice(0, 20)).not.toEqual(data.DeviceProcessEvents.slice(0, 20));
  });

  test('generates a table alone exactly as it does alongside the others', () => {
    const alone = generateTelemetry({ ...small, tables: ['DeviceNetworkEvents'] });
    expect(Object.keys(alone)).toEqual(['DeviceNetworkEvents']);
    expect(alone.DeviceNetworkEvents.slice(-50)).toEqual(data.DeviceNetworkEvents.slice(-50));
  });

  test('produces the four Defender tables, roughly the requested number of rows plus the planted activity', () => {
    expect(Object.keys(data).sort()).toEqual([...TELEMETRY_TABLES].sort());
    const total = Object.values(data).reduce((sum, rows) => sum + rows.length, 0);
    expect(total).toBeGreaterThanOrEqual(8000 * 0.9);
    expect(total).toBeLessThan(8000 * 2.5);
    expect(generateTelemetry({ now: NOW, rows: 4_000, devices: 120, tables: ['DeviceProcessEvents'] }).DeviceProcessEvents.length).toBe(4_000);
  });

  test.each(DEFENDER_TABLES.filter((t) => t.name in data).map((t) => [t.name, t] as const))('every %s row has every schema column, in schema order', (name, schema) => {
    const columns = schema.columns.map((c) => c.name).join(',');
    expect(data[name].filter((row) => Object.keys(row).join(',') !== columns)).toEqual([]);
  });

  test('Timestamp and TimeGenerated are the same ISO 8601 UTC instant within the 30 days before now', () => {
    const wrong = Object.values(data)
      .flat()
      .filter((row) => {
        const ms = Date.parse(String(row.Timestamp));
        const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(String(row.Timestamp));
        return row.Timestamp !== row.TimeGenerated || !iso || ms < NOW.getTime() - 30 * DAY || ms > NOW.getTime();
      });
    expect(wrong).toEqual([]);
  });

  test('devices have realistic names, Defender-style ids and UPNs', () => {
    const devices = samplePlan(small).devices;
    expect(devices).toHaveLength(120);
    expect(new Set(devices.map((d) => d.deviceId)).size).toBe(120);
    for (const device of devices) {
      expect(device.deviceName).toMatch(/^[a-z]+-(ws|lt|srv)-\d{4}\.contoso\.local$/);
      expect(device.deviceId).toMatch(/^[0-9a-f]{40}$/);
      expect(device.user.upn).toMatch(/^[a-z.-]+@contoso\.com$/);
    }
  });

  test('produces rows lazily, so a ten-million-row request starts at once (gen-data streams it to disk)', () => {
    // CPU time, not wall time: the bound is on the work done, which a busy machine does not inflate tenfold.
    const started = process.cpuUsage();
    const rows = telemetryRows({ ...small, rows: 10_000_000, tables: ['DeviceProcessEvents'] });
    for (let i = 0; i < 1000; i++) expect(rows.next().done).toBe(false);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
  });

  test('rejects a table it cannot generate', () => {
    expect(() => [...telemetryRows({ ...small, tables: ['SigninLogs'] })]).toThrow(/cannot generate table SigninLogs/);
  });
});

describe('planted RMM activity', () => {
  const plan = samplePlan(small);
  const real = plan.installs.filter((i) => !i.decoy);

  test('installs every tool on a minority of devices, with a current install of each', () => {
    for (const { tool } of rmmToolIdentities()) {
      const devices = new Set(real.filter((i) => i.tool === tool).map((i) => i.device.deviceId));
      expect(devices.size).toBeGreaterThanOrEqual(1);
      expect(devices.size).toBeLessThan(plan.devices.length / 10);
      expect(real.some((i) => i.tool === tool && i.recent)).toBe(true);
    }
  });

  test('puts look-alikes only on devices without a real install', () => {
    const realDevices = new Set(real.map((i) => i.device.deviceId));
    for (const decoy of plan.installs.filter((i) => i.decoy)) expect(realDevices.has(decoy.device.deviceId)).toBe(false);
  });

  test('includes near-miss signers such as NCHSoftware and sub-string domains such as notanydesk.com.evil', () => {
    const signers = new Set(data.DeviceFileCertificateInfo.map((r) => String(r.Signer)));
    expect(signers).toContain('NCH Software');
    expect(signers).toContain('NCHSoftware');
    const urls = data.DeviceNetworkEvents.map((r) => String(r.RemoteUrl));
    expect(urls.some((u) => u.includes('notanydesk.com.evil'))).toBe(true);
  });

  test("look-alike values never contain the real indicator as a term", () => {
    for (const { real: identity, decoy } of rmmToolIdentities()) {
      if (identity.signer) expect(kqlHas(decoy.signer, identity.signer)).toBe(false);
      for (const host of decoy.hosts) expect(identity.hosts.some((h) => kqlHas(host, h))).toBe(false);
    }
  });

  test('the background is ordinary software: Microsoft, Google, Adobe and others', () => {
    const companies = new Set(data.DeviceProcessEvents.map((r) => String(r.ProcessVersionInfoCompanyName)));
    for (const company of ['Microsoft Corporation', 'Google LLC', 'Adobe Inc.']) expect(companies.has(company)).toBe(true);
  });
});

describe('the row budget', () => {
  // Three of the tables (DeviceInfo and two with planted rows) split the budget as all seven do, at a
  // sixth of the rows; gen-data's test writes an exact budget over every table.
  const some = { ...small, tables: ['DeviceInfo', 'DeviceFileCertificateInfo', 'DeviceNetworkEvents'] };

  test('gives exactly the rows asked for once they cover the planted activity and a DeviceInfo row per device', () => {
    const minimum = minimumTelemetryRows(some);
    for (const rows of [minimum, minimum + 1, minimum + 3_333]) {
      const tables = generateTelemetry({ ...some, rows });
      expect(Object.keys(tables).sort()).toEqual([...some.tables].sort());
      expect(Object.values(tables).reduce((sum, t) => sum + t.length, 0)).toBe(rows);
    }
  });

  test('keeps a DeviceInfo snapshot of every device', () => {
    const tables = generateTelemetry({ ...some, rows: minimumTelemetryRows(some) });
    expect(new Set(tables.DeviceInfo.map((row) => row.DeviceId)).size).toBe(120);
  });

  test('splits rows by weight to the exact total, a table below its minimum getting the minimum', () => {
    expect(tableRowCounts(10, [{ weight: 1, minimum: 0 }, { weight: 1, minimum: 0 }, { weight: 1, minimum: 0 }])).toEqual([4, 3, 3]);
    expect(tableRowCounts(100, [{ weight: 0.5, minimum: 80 }, { weight: 0.5, minimum: 0 }])).toEqual([80, 20]);
  });
});
