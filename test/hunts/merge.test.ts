import type { QueryResult } from '../../src/kql/types';
import { mergeByEntity } from '../../src/hunts/merge';
import { catalogWithoutAnalysis, huntNamed } from './hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const filesig = huntNamed(catalog, 'anydesk', 'filesig');
const network = huntNamed(catalog, 'anydesk', 'network');

const core = ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'];

function result(extra: string[], rows: unknown[][]): QueryResult {
  const columns = [...core, ...extra].map((name) => ({
    name,
    type: name === 'Count' ? ('long' as const) : name.endsWith('Seen') ? ('datetime' as const) : core.slice(0, 2).includes(name) ? ('string' as const) : ('dynamic' as const),
  }));
  return { columns, rows: rows as QueryResult['rows'] };
}

const certResult = result([], [
  ['dev-1', 'fin-ws-0001.contoso.local', '2026-11-20T10:00:00.0000000Z', '2026-11-25T10:00:00.0000000Z', [11, 12], 2],
  ['dev-2', 'hr-lt-0002.contoso.local', '2026-11-26T08:00:00.0000000Z', '2026-11-26T08:00:00.0000000Z', [21], 1],
]);
const netResult = result(['Accounts', 'RemoteUrls'], [
  ['dev-1', 'fin-ws-0001.contoso.local', '2026-11-18T09:00:00.0000000Z', '2026-11-27T09:00:00.0000000Z', [12, 13], 5, ['maria.garcia@contoso.com'], ['relay-1.anydesk.com']],
]);

describe('mergeByEntity', () => {
  const merged = mergeByEntity([
    { hunt: filesig, result: certResult },
    { hunt: network, result: netResult },
  ]);
  const rows = merged.rows.map((row) => Object.fromEntries(merged.columns.map((c, i) => [c.name, row[i]])));

  test('gives one row per device with the core columns, Signals and the evidence columns', () => {
    expect(merged.columns.map((c) => c.name)).toEqual([...core, 'Signals', 'Accounts', 'RemoteUrls']);
    expect(rows.map((r) => r.DeviceId).sort()).toEqual(['dev-1', 'dev-2']);
  });

  test('takes the earliest FirstSeen and latest LastSeen, sums Count and unions Report', () => {
    const device = rows.find((r) => r.DeviceId === 'dev-1');
    expect(device).toMatchObject({ FirstSeen: '2026-11-18T09:00:00.0000000Z', LastSeen: '2026-11-27T09:00:00.0000000Z', Count: 7 });
    expect(device?.Report).toEqual([11, 12, 13]);
  });

  test('lists which signal kinds fired for each device', () => {
    expect(rows.find((r) => r.DeviceId === 'dev-1')?.Signals).toEqual(['filesig', 'network']);
    expect(rows.find((r) => r.DeviceId === 'dev-2')?.Signals).toEqual(['filesig']);
  });

  test('carries evidence from the kinds that have it and leaves it empty elsewhere', () => {
    expect(rows.find((r) => r.DeviceId === 'dev-1')?.Accounts).toEqual(['maria.garcia@contoso.com']);
    expect(rows.find((r) => r.DeviceId === 'dev-2')?.Accounts).toEqual([]);
  });

  test('puts the most recently active device first', () => {
    expect(rows[0].DeviceId).toBe('dev-1');
  });

  test('merges nothing into an empty result with the same columns', () => {
    expect(mergeByEntity([{ hunt: filesig, result: result([], []) }])).toEqual({ columns: expect.any(Array), rows: [] });
  });
});
