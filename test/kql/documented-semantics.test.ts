import { KqlUnsupportedError, warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

/** Answers that were once wrong without any error: each from the Kusto documentation's examples. */
describe('documented answers that must never be silently wrong', () => {
  it('isnull and isempty of parse_json text (isnull/isempty documentation tables)', () => {
    const [row] = records(
      run(
        'print a = isnull(parse_json("")), b = isnull(parse_json("[]")), c = isnull(parse_json("{}")), d = isnull(""), e = isempty(parse_json("")), f = isempty(parse_json("[]"))',
      ),
    );
    expect(row).toEqual({ a: true, b: false, c: false, d: false, e: true, f: false });
  });

  it('modulo is a small non-negative number: 0 <= N % D < abs(D) (numerical operators page)', () => {
    const [row] = records(run('print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12'));
    expect(row).toEqual({ plusPlus: 2, minusPlus: 10, plusMinus: 2, minusMinus: 10 });
  });

  it('reads hexadecimal long literals', () => {
    const [row] = records(run('print a = 0xF, b = 0x10 + 1, c = -0xff'));
    expect(row).toEqual({ a: 15, b: 17, c: -255 });
  });

  it('takes substrings at the edges (substring documentation examples)', () => {
    const [row] = records(
      run(
        'print a = substring("123456", 1), b = substring("123456", 2, 2), c = substring("ABCD", 0, 2), d = substring("123456", -2, 2), e = substring("abc", 5), f = substring("abc", 1, 10), g = substring("abc", -10, 2)',
      ),
    );
    expect(row).toEqual({ a: '23456', b: '34', c: 'AB', d: '56', e: '', f: 'bc', g: 'ab' });
  });

  it('parses every documented datetime format, ISO 8601, RFC 822 and RFC 850 (datetime data type page)', () => {
    const cases: Array<[string, string]> = [
      ['2014-05-25T08:20:03.123456Z', '2014-05-25T08:20:03.1234560Z'],
      ['2014-05-25T08:20:03.123456', '2014-05-25T08:20:03.1234560Z'],
      ['2014-05-25T08:20', '2014-05-25T08:20:00.0000000Z'],
      ['2014-11-08 15:55:55.123456Z', '2014-11-08T15:55:55.1234560Z'],
      ['2014-11-08 15:55', '2014-11-08T15:55:00.0000000Z'],
      ['2014-11-08', '2014-11-08T00:00:00.0000000Z'],
      ['Sat, 8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
      ['Sat, 8 Nov 14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
      ['Sat, 8 Nov 14 15:05', '2014-11-08T15:05:00.0000000Z'],
      ['Sat, 8 Nov 14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
      ['8 Nov 14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
      ['8 Nov 14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
      ['8 Nov 14 15:05', '2014-11-08T15:05:00.0000000Z'],
      ['8 Nov 14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
      ['Saturday, 08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
      ['Saturday, 08-Nov-14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
      ['Saturday, 08-Nov-14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
      ['Saturday, 08-Nov-14 15:05', '2014-11-08T15:05:00.0000000Z'],
      ['08-Nov-14 15:05:02 GMT', '2014-11-08T15:05:02.0000000Z'],
      ['08-Nov-14 15:05:02', '2014-11-08T15:05:02.0000000Z'],
      ['08-Nov-14 15:05 GMT', '2014-11-08T15:05:00.0000000Z'],
      ['08-Nov-14 15:05', '2014-11-08T15:05:00.0000000Z'],
      ['01/16/2022 00:00:00', '2022-01-16T00:00:00.0000000Z'],
    ];
    for (const [text, expected] of cases) {
      expect([text, scalar(`print todatetime("${text}")`)]).toEqual([text, expected]);
      expect([text, scalar(`print datetime(${text})`)]).toEqual([text, expected]);
    }
    expect(scalar('print todatetime("not a date")')).toBeNull();
  });

  it('aggregates over no rows: count and sum 0, avg NaN reported as null-free real, others null', () => {
    const result = run('datatable(x:long)[] | summarize c = count(), s = sum(x), a = avg(x), m = max(x), d = dcount(x)');
    expect(records(result)).toEqual([{ c: 0, s: 0, a: 'NaN', m: null, d: 0 }]);
  });

  it('take_any of one column prefers a non-empty value (take_any documentation remarks)', () => {
    const result = run('datatable(k:string, v:string, n:long)["a", "", long(null), "a", "x", 2] | summarize v = take_any(v), n = take_any(n) by k');
    expect(records(result)).toEqual([{ k: 'a', v: 'x', n: 2 }]);
  });

  it('take_any(*) takes every column except the group-by ones, from one row', () => {
    const result = run('datatable(k:string, v:string, n:long)["a", "y", 1, "b", "z", 2] | summarize take_any(*) by k | order by k asc');
    expect(records(result)).toEqual([
      { k: 'a', v: 'y', n: 1 },
      { k: 'b', v: 'z', n: 2 },
    ]);
  });

  it('innerunique keeps one left row per key even when filters follow the join', () => {
    const result = run(`
      let L = datatable(k:string, a:long)["x", 1, "x", 2, "y", 3];
      let R = datatable(k:string, b:long)["x", 10, "x", 20, "y", 30];
      L | join R on k | where b > 0 | summarize n = count() by k | order by k asc`);
    expect(records(result)).toEqual([
      { k: 'x', n: 2 },
      { k: 'y', n: 1 },
    ]);
  });

  it('union kind=inner keeps only the columns common to every input', () => {
    const result = run('union kind=inner (datatable(a:long, b:string)[1, "x"]), (datatable(a:long, c:string)[2, "y"]) | order by a asc');
    expect(result.columns.map((c) => c.name)).toEqual(['a']);
    expect(column(result, 'a')).toEqual([1, 2]);
  });

  it('union of same-named columns of different types gives one column per type (x_long, x_int)', () => {
    const result = run('union (datatable(x:long)[1]), (datatable(x:int)[int(2)])');
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['x_long:long', 'x_int:int']);
    expect(result.rows).toEqual([
      [1, null],
      [null, 2],
    ]);
  });

  it('indexes dynamic arrays from the end with negative indexes', () => {
    const [row] = records(run('print a = dynamic([1, 2, 3])[-1], b = dynamic([1, 2, 3])[-3], c = dynamic([1, 2, 3])[-4], d = dynamic([1, 2, 3])[3]'));
    expect(row).toEqual({ a: 3, b: 1, c: null, d: null });
  });

  it('toscalar of a literal is the literal', () => {
    const [row] = records(run('let x = toscalar(5); print a = x, b = toscalar("s"), c = toscalar(print 7)'));
    expect(row).toEqual({ a: 5, b: 's', c: 7 });
  });

  it('binds bracketed let names', () => {
    expect(scalar("let ['some number'] = 20; print ['some number'] + 1")).toBe(21);
  });
});

describe('innerunique join with filters after it (join-innerunique page)', () => {
  it('applies a left-side filter before dropping duplicate left keys, as Kusto pushes it down', () => {
    const result = run(`
      let t1 = datatable(key: long, value: string) [1, "val1.1", 1, "val1.2"];
      let t2 = datatable(key: long, value: string) [1, "val1.3", 1, "val1.4"];
      t1 | join kind = innerunique t2 on key | where value == "val1.2" | order by value1 asc`);
    expect(records(result)).toEqual([
      { key: 1, value: 'val1.2', key1: 1, value1: 'val1.3' },
      { key: 1, value: 'val1.2', key1: 1, value1: 'val1.4' },
    ]);
  });

  it('keeps the documented default example: one left row per key', () => {
    const result = run(`
      let X = datatable(Key:string, Value1:long) ['a',1, 'b',2, 'b',3, 'c',4];
      let Y = datatable(Key:string, Value2:long) ['b',10, 'c',20, 'c',30, 'd',40];
      X | join Y on Key | where Value2 > 0 | order by Value2 asc`);
    expect(records(result)).toEqual([
      { Key: 'b', Value1: 2, Key1: 'b', Value2: 10 },
      { Key: 'c', Value1: 4, Key1: 'c', Value2: 20 },
      { Key: 'c', Value1: 4, Key1: 'c', Value2: 30 },
    ]);
  });
});

describe('refused queries', () => {
  it('says top needs a by clause in one line, without the echo of the same mistake', () => {
    expect(() => run('datatable(a:long)[1,2,3] | top 2')).toThrow(/^KS005 at line 1, column 33: Expected: by$/);
  });
});

describe('refusing before running', () => {
  const rows = { DeviceEvents: [{ Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'a', ActionType: 'x' }] };

  it('refuses an unsupported function after a filter that matches nothing, naming it and its place', () => {
    const kql = 'DeviceEvents\n| where ActionType == "never"\n| extend c = geo_point_to_s2cell(1.0, 2.0)';
    expect(() => run(kql, rows)).toThrow(KqlUnsupportedError);
    expect(() => run(kql, rows)).toThrow(/geo_point_to_s2cell\(\).* at line 3, column 14/);
  });

  it('refuses an unsupported operator over an empty table before reading it', () => {
    expect(() => run('DeviceEvents | where false | evaluate autocluster()', rows)).toThrow(/EvaluateOperator/);
  });
});
