import { checkQuery, KqlQueryError, KqlRuntimeError, KqlUnsupportedError, warmUpKql } from '../../src/kql';
import { engineOver, run } from './helpers';

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
    expect(errors('DeviceInfo | invoke DeviceFromIP("10.0.0.1")').map((d) => d.code)).toContain('KS211');
  });
});

function failure(kql: string): unknown {
  try {
    run(kql, { DeviceInfo: [{ DeviceId: 'd1', AdditionalFields: { a: 1 } }] });
  } catch (error) {
    return error;
  }
  throw new Error(`expected the query to fail: ${kql}`);
}

describe('invalid queries are reported, never evaluated', () => {
  it('throws KqlQueryError with KS142 for a misspelled column', () => {
    const error = failure('DeviceInfo\n| where DevicId == "x"');
    expect(error).toBeInstanceOf(KqlQueryError);
    expect((error as KqlQueryError).diagnostics[0]).toMatchObject({ code: 'KS142', line: 2, column: 9 });
    expect((error as Error).message).toContain('line 2, column 9');
  });

  it('throws KqlQueryError with KS204 for an unknown table', () => {
    const error = failure('DeviceEventz | take 1');
    expect(error).toBeInstanceOf(KqlQueryError);
    expect((error as KqlQueryError).diagnostics.map((d) => d.code)).toEqual(['KS204']);
  });

  it('throws KqlQueryError for a syntax error', () => {
    const error = failure('DeviceInfo | summarize count( by DeviceId');
    expect(error).toBeInstanceOf(KqlQueryError);
    expect((error as KqlQueryError).diagnostics.length).toBeGreaterThan(0);
  });
});

describe('unsupported constructs are named with their position', () => {
  it.each([
    ['DeviceInfo | evaluate autocluster()', 'EvaluateOperator', 14],
    ['DeviceInfo | find where DeviceId == "x"', 'FindOperator', 14],
    ['DeviceInfo | project h = geo_point_to_s2cell(1.0, 2.0)', 'geo_point_to_s2cell', 26],
    ['DeviceInfo | make-series stdev(1.0) on Timestamp step 1d', 'stdev', 26],
    ['DeviceInfo | where DeviceId == "none" | evaluate basket()', 'basket', 41],
  ])('%s', (kql, construct, column) => {
    const error = failure(kql);
    expect(error).toBeInstanceOf(KqlUnsupportedError);
    const unsupported = error as KqlUnsupportedError;
    expect(unsupported.construct).toContain(construct);
    expect(unsupported.position).toEqual({ offset: column - 1, line: 1, column });
    expect(unsupported.message).toContain(`line 1, column ${column}`);
  });
});

describe('runtime failures', () => {
  it('throws KqlRuntimeError for an invalid regular expression, with its position', () => {
    const error = failure("DeviceInfo | where DeviceId matches regex '(unclosed'");
    expect(error).toBeInstanceOf(KqlRuntimeError);
    expect((error as KqlRuntimeError).position).toMatchObject({ line: 1, column: 43 });
  });
});

describe('odd input', () => {
  it.each([
    '',
    '   ',
    'let x = 1;',
    'print 1; print 2',
    '((((((print 1))))))',
    'print "€ ünïcödé 名前" has "名前"',
    'DeviceInfo | where',
    '| take 1',
    'print x = 1 | mv-expand x',
    "print toscalar(DeviceInfo | count), toscalar(DeviceInfo | where DeviceId == 'none' | project DeviceId)",
  ])('answers %j with a result or a typed KQL error, never anything else', (kql) => {
    try {
      const result = engineOver().query(kql);
      expect(Array.isArray(result.rows)).toBe(true);
    } catch (error) {
      expect([KqlQueryError, KqlUnsupportedError, KqlRuntimeError].some((type) => error instanceof type)).toBe(true);
    }
  });
});
