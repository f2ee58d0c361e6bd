import { checkQuery, warmUpKql } from '../../src/kql';

beforeAll(warmUpKql);

const HUNT = `let Time_start = now(-5d); let Time_end = now();
DeviceFileCertificateInfo
| where Timestamp between (Time_start..Time_end)
| where Signer has 'NCH Software'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

function errors(kql: string) {
  return checkQuery(kql).filter((d) => d.severity === 'Error');
}

describe('checkQuery', () => {
  it('accepts the DesktopNow hunt against the Defender schema', () => {
    expect(errors(HUNT)).toEqual([]);
  });

  it('knows every Defender table in schema.ts', () => {
    for (const table of ['DeviceFileCertificateInfo', 'DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceInfo']) {
      expect(errors(`${table} | take 1`)).toEqual([]);
    }
  });

  it('reports a misspelled column as KS142 with offset and 1-based line and column', () => {
    const kql = 'DeviceFileCertificateInfo\n| where Singer has "x"';
    const [d] = errors(kql);
    expect(d).toMatchObject({ code: 'KS142', start: kql.indexOf('Singer'), length: 6, line: 2, column: 9 });
    expect(d.message).toContain("'Singer'");
  });

  it('reports an unknown table as KS204', () => {
    const [d] = errors('DeviceFileCertInfo | take 1');
    expect(d).toMatchObject({ code: 'KS204', line: 1, column: 1 });
  });

  it('reports syntax errors with their codes and positions', () => {
    const diagnostics = errors('DeviceInfo | where | take');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => /^KS\d+$/.test(d.code) && d.line === 1 && d.column > 1)).toBe(true);
  });

  it('reports type errors such as comparing a datetime with a string', () => {
    expect(errors("DeviceInfo | where Timestamp > 'x'").map((d) => d.code)).toEqual(['KS106']);
  });

  it('knows _GetWatchlist and its columns', () => {
    expect(errors("_GetWatchlist('exclusions') | project SearchKey, HuntKey, DeviceId, ExpiresAtUtc")).toEqual([]);
    expect(errors("_GetWatchlist('exclusions') | project NoSuchColumn").map((d) => d.code)).toEqual(['KS142']);
  });

  it('reports unknown functions such as Defender-only ones', () => {
    expect(errors('DeviceInfo | invoke FileProfile(SHA1, 1000)').map((d) => d.code)).toContain('KS211');
  });
});
