import { warmUpKql } from '../../src/kql';
import { engineOver, NOW, records } from './helpers';

beforeAll(warmUpKql);

const DESKTOP_NOW = `let Time_start = now(-5d); let Time_end = now();
DeviceFileCertificateInfo
| where Timestamp between (Time_start..Time_end)
| where Signer has 'NCH Software'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

const SIGNERS = ['NCH Software Pty Ltd', 'NCHSoftware', 'NCH Softwares', 'Branch Software', 'nch software', 'NCH_Software', 'Contoso Ltd'];

/** A small deterministic PRNG so the data is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function generateRows(count: number): Array<Record<string, unknown>> {
  const random = seeded(42);
  const nowMs = NOW.getTime();
  return Array.from({ length: count }, (_, k) => {
    const device = Math.floor(random() * 40);
    const ms = nowMs - Math.floor(random() * 8 * 86_400_000); // 8 days back: some rows fall outside the 5-day window
    const ticks = String(Math.floor(random() * 10_000)).padStart(4, '0');
    return {
      Timestamp: `${new Date(ms).toISOString().slice(0, 23)}${ticks}Z`,
      DeviceId: `device-${device}`,
      DeviceName: `host-${device}.contoso.com`,
      Signer: SIGNERS[Math.floor(random() * SIGNERS.length)],
      ReportId: 1000 + (k % 500),
    };
  });
}

/** The hunt written directly in JavaScript: has as a case-insensitive match on term boundaries. */
function reference(rows: Array<Record<string, unknown>>) {
  const term = /(?:^|[^\p{L}\p{N}])nch software(?:$|[^\p{L}\p{N}])/iu;
  // ISO text with 7 fractional digits sorts like the instants it names.
  const iso7 = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
  const start = iso7(NOW.getTime() - 5 * 86_400_000);
  const end = iso7(NOW.getTime());
  const groups = new Map<string, { DeviceId: string; DeviceName: string; FirstSeen: string; LastSeen: string; Report: Set<number>; Count: number }>();
  for (const r of rows) {
    const ts = String(r.Timestamp);
    if (ts < start || ts > end || !term.test(String(r.Signer))) continue;
    const key = `${r.DeviceId}|${r.DeviceName}`;
    const g = groups.get(key) ?? { DeviceId: String(r.DeviceId), DeviceName: String(r.DeviceName), FirstSeen: ts, LastSeen: ts, Report: new Set(), Count: 0 };
    if (ts < g.FirstSeen) g.FirstSeen = ts;
    if (ts > g.LastSeen) g.LastSeen = ts;
    g.Report.add(Number(r.ReportId));
    g.Count++;
    groups.set(key, g);
  }
  return groups;
}

describe('the DesktopNow hunt', () => {
  it('returns the groups a direct JavaScript implementation computes', () => {
    const rows = generateRows(3000);
    const result = engineOver({ DeviceFileCertificateInfo: rows }).query(DESKTOP_NOW, { now: NOW });
    expect(result.columns).toEqual([
      { name: 'DeviceId', type: 'string' },
      { name: 'DeviceName', type: 'string' },
      { name: 'FirstSeen', type: 'datetime' },
      { name: 'LastSeen', type: 'datetime' },
      { name: 'Report', type: 'dynamic' },
      { name: 'Count', type: 'long' },
    ]);
    const expected = reference(rows);
    expect(expected.size).toBeGreaterThan(10);
    const actual = records(result);
    expect(actual).toHaveLength(expected.size);
    for (const row of actual) {
      const want = expected.get(`${row.DeviceId}|${row.DeviceName}`)!;
      expect({ ...row, Report: new Set(row.Report as number[]) }).toEqual(want);
    }
  });

  it('excludes devices listed in the per-query watchlist snapshot', () => {
    const rows = generateRows(500);
    const engine = engineOver({ DeviceFileCertificateInfo: rows });
    const excluded = `${DESKTOP_NOW}
| where DeviceId !in ((_GetWatchlist('exclusions') | where HuntKey == 'desktopnow' | project DeviceId))`;
    const all = records(engine.query(DESKTOP_NOW, { now: NOW }));
    const victim = String(all[0].DeviceId);
    const watchlists = {
      exclusions: [
        { SearchKey: victim, HuntKey: 'desktopnow', DeviceId: victim },
        { SearchKey: 'other', HuntKey: 'another-hunt', DeviceId: String(all[1].DeviceId) },
      ],
    };
    const remaining = records(engine.query(excluded, { now: NOW, watchlists })).map((r) => r.DeviceId);
    expect(remaining).toEqual(all.map((r) => r.DeviceId).filter((d) => d !== victim));
    expect(records(engine.query(excluded, { now: NOW })).length).toBe(all.length);
  });

  it('returns an empty watchlist table for an unknown alias', () => {
    const result = engineOver().query("_GetWatchlist('nope') | count", { watchlists: { other: [{ SearchKey: 'x' }] } });
    expect(result.rows).toEqual([[0]]);
  });
});
