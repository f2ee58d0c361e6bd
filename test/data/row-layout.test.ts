import { rowLayout } from '../../src/data/row-layout';

describe('RowLayout', () => {
  const layout = rowLayout('DeviceLogonEvents');
  const slot = (name: string) => layout.names.indexOf(name);

  test('fills columns by name into schema order; null sets the empty value, undefined leaves the column', () => {
    const row = layout.fill(layout.emptyRow(), { AccountName: 'alice', LogonId: 42, IsLocalAdmin: true });
    layout.fill(row, { AccountName: undefined, LogonId: null });
    expect(row).toHaveLength(layout.names.length);
    expect(row[slot('AccountName')]).toBe('alice');
    expect(row[slot('LogonId')]).toBe(0);
    expect(row[slot('IsLocalAdmin')]).toBe(true);
    expect(row[slot('DeviceName')]).toBe('');
  });

  test('refuses a column the schema lacks', () => {
    expect(() => layout.fill(layout.emptyRow(), { NoSuchColumn: 1 })).toThrow('DeviceLogonEvents has no column NoSuchColumn');
  });

  test('gives the row object every column in schema order, a datetime given as milliseconds as its ISO string', () => {
    const ms = Date.parse('2026-02-03T04:05:06.789Z');
    const row = layout.rowObject(layout.fill(layout.emptyRow(), { Timestamp: ms, TimeGenerated: '2026-02-03T04:05:06Z', AccountName: 'alice' }));
    expect(Object.keys(row)).toEqual(layout.names);
    expect(row.Timestamp).toBe('2026-02-03T04:05:06.789Z');
    expect(row.TimeGenerated).toBe('2026-02-03T04:05:06Z');
    expect(row.AccountName).toBe('alice');
  });

  test('has no layout for a table outside the bundled schema', () => {
    expect(() => rowLayout('NoSuchTable')).toThrow('no schema for NoSuchTable');
  });
});
