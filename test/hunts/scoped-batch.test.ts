import { KqlDatabase, KqlEngine, checkQuery, warmUpKql } from '../../src/kql';
import { renderHuntQuery } from '../../src/hunts/render';
import { BATCH_COLUMNS, renderScopedBatch } from '../../src/hunts/scoped-batch';
import { completeRow } from '../../src/data/table-rows';
import { DAY, NOW, catalogWithoutAnalysis, huntNamed, lastDays } from './hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const hunts = [huntNamed(catalog, 'anydesk', 'process'), huntNamed(catalog, 'desktopnow', 'process'), huntNamed(catalog, 'teamviewer', 'process')];
const network = [huntNamed(catalog, 'teamviewer', 'network'), huntNamed(catalog, 'any', 'network')];

function at(deviceId: string, deviceName: string, reportId: number): Record<string, unknown> {
  const time = new Date(NOW.getTime() - DAY).toISOString();
  return { Timestamp: time, TimeGenerated: time, DeviceId: deviceId, DeviceName: deviceName, ReportId: reportId };
}

const anyDesk = { FileName: 'AnyDesk.exe', ProcessVersionInfoCompanyName: 'philandro Software GmbH', ProcessVersionInfoProductName: 'AnyDesk' };
const teamViewer = { FileName: 'TeamViewer.exe', ProcessVersionInfoCompanyName: 'TeamViewer Germany GmbH', ProcessVersionInfoProductName: 'TeamViewer' };
const tvNetwork = { RemoteUrl: 'router1.teamviewer.com', InitiatingProcessVersionInfoCompanyName: 'TeamViewer Germany GmbH', InitiatingProcessFileName: 'TeamViewer.exe' };
const engine = new KqlEngine(
  KqlDatabase.fromRows({
    DeviceProcessEvents: [
      completeRow('DeviceProcessEvents', { ...at('aa11', 'ws-0042.contoso.local', 1), ...anyDesk }),
      completeRow('DeviceProcessEvents', { ...at('aa11', 'ws-0042.contoso.local', 2), ...teamViewer }),
      completeRow('DeviceProcessEvents', { ...at('bb22', 'ws-00420.contoso.local', 3), ...anyDesk }),
    ],
    DeviceNetworkEvents: [
      completeRow('DeviceNetworkEvents', { ...at('aa11', 'ws-0042.contoso.local', 4), ...tvNetwork }),
      completeRow('DeviceNetworkEvents', { ...at('bb22', 'ws-00420.contoso.local', 5), ...tvNetwork }),
    ],
  }),
);

/** `hunt index → device ids` of a query's rows. */
function found(kql: string, huntColumn?: string): string[] {
  const result = engine.query(kql, { now: NOW, watchlists: {} });
  const key = result.columns.findIndex((c) => c.name === (huntColumn ? BATCH_COLUMNS.key : 'DeviceId'));
  const hunt = huntColumn ? result.columns.findIndex((c) => c.name === huntColumn) : -1;
  return result.rows.map((row) => `${hunt >= 0 ? String(row[hunt]) : ''}:${String(row[key])}`).sort();
}

beforeAll(async () => {
  await warmUpKql();
});

describe('several hunts scoped to one device, as one query for a metered backend', () => {
  test('finds exactly what each hunt finds on its own with `on <device>`, and no look-alike device', () => {
    for (const group of [hunts, network]) {
      const alone = group.flatMap((hunt, index) => found(renderHuntQuery(hunt, { window: lastDays(5), scope: { device: 'ws-0042' } })).map((row) => `${index}${row}`)).sort();
      const combined = renderScopedBatch(group, { window: lastDays(5), device: 'ws-0042' });
      expect(found(combined, BATCH_COLUMNS.hunt)).toEqual(alone);
      expect(alone.every((row) => row.endsWith(':aa11'))).toBe(true);
    }
  });

  test('passes the parser, each hunt keeping its own lets inside its function, the device only as literals', () => {
    const kql = renderScopedBatch(network, { window: lastDays(5), device: "ws-0042'|take(1)" });
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
    expect(kql).toContain("DeviceName =~ 'ws-0042\\'|take(1)'");
    expect(kql.split('\n').pop()).toBe('union batch_hunt_0(), batch_hunt_1()');
  });

  test('carries the all-tools hunt’s tool names', () => {
    const result = engine.query(renderScopedBatch(network, { window: lastDays(5), device: 'ws-0042' }), { now: NOW, watchlists: {} });
    const tools = result.columns.findIndex((c) => c.name === BATCH_COLUMNS.tools);
    expect(result.rows.map((row) => row[tools]).filter((cell) => cell !== null)).toEqual([['TeamViewer']]);
  });
});
