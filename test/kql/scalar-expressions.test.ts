import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

describe('arithmetic and comparisons', () => {
  it('follows integer and real arithmetic rules', () => {
    const [row] = records(run('print a = 1 + 2, b = 7 / 2, c = 7.0 / 2, d = 7 % 3, e = -7 / 2, f = 2 * 3 - 1'));
    expect(row).toEqual({ a: 3, b: 3, c: 3.5, d: 1, e: -3, f: 5 });
  });

  it('compares numbers and datetimes', () => {
    const [row] = records(
      run('print a = 2 > 1, b = 2 <= 1, c = 2.5 >= 2, d = datetime(2024-01-02) < datetime(2024-01-01), e = 1 != 2, f = 1 == 1'),
    );
    expect(row).toEqual({ a: true, b: false, c: true, d: false, e: true, f: true });
  });

  it('adds and subtracts timespans to datetimes, and subtracts datetimes to a timespan', () => {
    const [row] = records(
      run(
        'print a = datetime(2015-01-01) + 1d, b = datetime(2015-01-01 10:00) - 30m, c = datetime(2015-01-02) - datetime(2015-01-01 12:00), d = 1d / 1h, e = 2h * 3',
      ),
    );
    expect(row).toEqual({
      a: '2015-01-02T00:00:00.0000000Z',
      b: '2015-01-01T09:30:00.0000000Z',
      c: '12:00:00',
      d: 24,
      e: '06:00:00',
    });
  });

  it('keeps 100 ns precision through datetime arithmetic', () => {
    expect(scalar('print datetime(2024-02-03 04:05:06.1234567) + 1tick')).toBe('2024-02-03T04:05:06.1234568Z');
  });

  it('combines conditions with and, or and not()', () => {
    const result = run('range x from 1 to 6 step 1 | where (x > 4 or x == 1) and not(x == 6)');
    expect(column(result, 'x')).toEqual([1, 5]);
  });
});

describe('between', () => {
  it('is inclusive at both ends (documented range 50..55)', () => {
    expect(column(run('range x from 1 to 100 step 1 | where x between (50 .. 55)'), 'x')).toEqual([50, 51, 52, 53, 54, 55]);
  });

  it('negates with !between', () => {
    expect(column(run('range x from 1 to 5 step 1 | where x !between (2 .. 4)'), 'x')).toEqual([1, 5]);
  });

  it('accepts a timespan as the right side of a datetime range', () => {
    const kql = 'range t from datetime(2007-07-26) to datetime(2007-07-31) step 1d | where t between (datetime(2007-07-27) .. 3d)';
    expect(column(run(kql), 't')).toEqual([
      '2007-07-27T00:00:00.0000000Z',
      '2007-07-28T00:00:00.0000000Z',
      '2007-07-29T00:00:00.0000000Z',
      '2007-07-30T00:00:00.0000000Z',
    ]);
  });

  it('includes a datetime equal to a 100 ns-precise bound and excludes one tick past it', () => {
    const rows = {
      DeviceInfo: [
        { Timestamp: '2024-05-01T00:00:00.0000001Z', DeviceId: 'inside' },
        { Timestamp: '2024-05-01T00:00:00.0000002Z', DeviceId: 'outside' },
      ],
    };
    const kql = 'DeviceInfo | where Timestamp between (datetime(2024-04-30) .. datetime(2024-05-01 00:00:00.0000001)) | project DeviceId';
    expect(column(run(kql, rows), 'DeviceId')).toEqual(['inside']);
  });
});

describe('null rules', () => {
  it('makes ==, in and has false and their negations true when a side is null', () => {
    const [row] = records(
      run(
        'print n = long(null) | extend eq = n == 1, ne = n != 1, isin = n in (1), notin = n !in (1), has = tostring(n) has "1", lt = isnull(n < 1)',
      ),
    );
    expect(row).toMatchObject({ eq: false, ne: true, isin: false, notin: true, has: false, lt: true });
  });

  it('never produces a null string: missing strings are empty', () => {
    const result = run('DeviceInfo | project DeviceName, isnull(DeviceName), isempty(DeviceName)', { DeviceInfo: [{ DeviceId: 'x' }] });
    expect(result.rows).toEqual([['', false, true]]);
  });

  it('propagates null through arithmetic and drops null rows in where', () => {
    const result = run('datatable(x:long)[1, long(null), 3] | extend y = x + 1 | where y > 0');
    expect(result.rows).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('dynamic values', () => {
  it('builds dynamic literals and reads them by index and property', () => {
    const [row] = records(
      run(
        "print o = dynamic({'a': {'b': [10, 20]}, 'c': 'x'}) | extend head = o.a.b[0], tail = o.a.b[-1], c = o['c'], absent = o.nope",
      ),
    );
    expect(row).toEqual({ o: { a: { b: [10, 20] }, c: 'x' }, head: 10, tail: 20, c: 'x', absent: null });
  });

  it('indexes the result of split() and reads parse_url() properties', () => {
    const [row] = records(run("print part = split('a_b_c', '_')[1], host = parse_url('https://bing.com:8080/x?q=1').Host"));
    expect(row).toEqual({ part: 'b', host: 'bing.com' });
  });

  it('stores datetimes inside dynamic values as ISO text (documented dynamic({"a": datetime(1970-05-11)}))', () => {
    expect(scalar('print d=dynamic({"a": datetime(1970-05-11)})')).toEqual({ a: '1970-05-11T00:00:00.0000000Z' });
  });
});
