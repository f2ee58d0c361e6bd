import { findQueryTimeWindow } from '../../src/kql';

/** What the spans cover, as the query wrote them. */
function covered(kql: string): string[] {
  return findQueryTimeWindow(kql).slots.map((slot) => `${slot.role}:${kql.slice(slot.start, slot.end)}`);
}

describe("a query's own time window, found in its syntax tree", () => {
  test('a top-level let of a timespan used through ago() is the lookback', () => {
    const kql = 'let lookback = 7d;\nDeviceProcessEvents | where Timestamp > ago(lookback)';
    expect(covered(kql)).toEqual(['lookback:7d']);
    expect(findQueryTimeWindow(kql).lookbackMs).toBe(7 * 86_400_000);
  });

  test('a let of ago(14d) and a where over ago(1d) are lookbacks too', () => {
    expect(covered('let starttime = ago(14d);\nDeviceInfo | where Timestamp > starttime')).toEqual(['lookback:14d']);
    expect(covered('DeviceInfo | where TimeGenerated > ago(1d)')).toEqual(['lookback:1d']);
    expect(covered('let Time_start = now(-5d);\nDeviceInfo | where Timestamp > Time_start')).toEqual(['lookback:5d']);
  });

  test('the same lookback written twice is one window, rewritten in both places', () => {
    const kql = 'let lookback = 3d;\nDeviceInfo | where Timestamp > ago(lookback) | join (DeviceNetworkEvents | where Timestamp > ago(3d)) on DeviceId';
    expect(covered(kql)).toEqual(['lookback:3d', 'lookback:3d']);
  });

  test('a baseline and a detection window of different lengths are not one recognisable window', () => {
    const kql = 'let starttime = 14d;\nlet endtime = 1d;\nDeviceInfo | where Timestamp between (ago(starttime) .. ago(endtime))';
    const found = findQueryTimeWindow(kql);
    expect(found.slots).toEqual([]);
    expect(found.lookbacks).toEqual(['1d', '14d'].sort((a, b) => kql.indexOf(a) - kql.indexOf(b)));
    expect(found.lookbackMs).toBeUndefined();
  });

  test('a timespan that is not a lookback (a bin size) is left alone', () => {
    const kql = 'let lookback = 7d;\nlet bucket = 1h;\nDeviceInfo | where Timestamp > ago(lookback) | summarize count() by bin(Timestamp, bucket)';
    expect(covered(kql)).toEqual(['lookback:7d']);
  });

  test("the hunting page's {{StartTimeISO}} and {{EndTimeISO}} strings are the window's edges", () => {
    const kql = "let starttime = todatetime('{{StartTimeISO}}');\nlet endtime = todatetime('{{EndTimeISO}}');\nDeviceInfo | where Timestamp between (starttime .. endtime)";
    expect(covered(kql)).toEqual(["start:'{{StartTimeISO}}'", "end:'{{EndTimeISO}}'"]);
  });

  test('text in comments and strings is not a window', () => {
    const kql = "// ago(30d)\nDeviceInfo | where DeviceName has 'ago(2d)' | take 10";
    expect(findQueryTimeWindow(kql)).toEqual({ slots: [], lookbacks: [] });
  });
});
