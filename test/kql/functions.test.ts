import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

describe('string functions', () => {
  it('splits strings, optionally picking one part (documented examples)', () => {
    const [row] = records(
      run('print a = split("aa_bb", "_"), b = split("aaa_bbb_ccc", "_", 1), c = split("", "_"), d = split("a__b", "_"), e = split("aabbcc", "bb")'),
    );
    expect(row).toEqual({ a: ['aa', 'bb'], b: ['bbb'], c: [''], d: ['a', '', 'b'], e: ['aa', 'cc'] });
  });

  it('replaces every occurrence with replace_string', () => {
    expect(scalar("print replace_string('A magic trick can turn a cat into a dog', 'cat', 'hamster')")).toBe(
      'A magic trick can turn a hamster into a dog',
    );
    expect(scalar("print replace_string('a.b.c', '.', '::')")).toBe('a::b::c');
  });

  it('extracts a capture group, converting it when a type is given (documented x=45.6)', () => {
    expect(scalar('print extract("x=([0-9.]+)", 1, "hello x=45.6|wo")')).toBe('45.6');
    expect(scalar('print extract("x=([0-9.]+)", 1, "hello x=45.6|wo", typeof(real))')).toBe(45.6);
    expect(scalar('print extract("y=([0-9]+)", 1, "hello x=45")')).toBe('');
  });

  it('parses URLs into their parts (documented parse_url example)', () => {
    const url = scalar('print parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")');
    expect(url).toEqual({
      Scheme: 'scheme',
      Host: 'host',
      Port: '1234',
      Path: '/this/is/a/path',
      Username: 'username',
      Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v2' },
      Fragment: 'fragment',
    });
  });

  it('parses JSON text with parse_json and keeps non-JSON text as a string (documented)', () => {
    const [row] = records(run('print a = parse_json(\'{"d": {"v": [1, 2]}}\').d.v[1], b = parse_json("not json"), c = todynamic("[1]")'));
    expect(row).toEqual({ a: 2, b: 'not json', c: [1] });
  });

  it('changes case and concatenates', () => {
    const [row] = records(run('print l = tolower("Hello"), u = toupper("Hello"), s = strcat("hello", " ", "world", 1)'));
    expect(row).toEqual({ l: 'hello', u: 'HELLO', s: 'hello world1' });
  });
});

describe('conditional and null functions', () => {
  it('chooses with iff and case (documented size buckets)', () => {
    const kql = 'range Size from 1 to 15 step 2 | extend bucket = case(Size <= 3, "Small", Size <= 10, "Medium", "Large"), odd = iff(Size % 4 == 1, "a", "b")';
    expect(column(run(kql), 'bucket')).toEqual(['Small', 'Small', 'Medium', 'Medium', 'Medium', 'Large', 'Large', 'Large']);
    expect(column(run(kql), 'odd')).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('returns the first non-empty value with coalesce (documented)', () => {
    expect(scalar('print result=coalesce(tolong("not a number"), tolong("42"), 33)')).toBe(42);
    expect(scalar('print coalesce("", "x")')).toBe('x');
  });

  it('tells empty and null values apart', () => {
    const [row] = records(
      run('print a = isempty(""), b = isempty("x"), c = isnotempty("x"), d = isnull(""), e = isnull(long(null)), f = isempty(long(null))'),
    );
    expect(row).toEqual({ a: true, b: false, c: true, d: false, e: true, f: true });
  });
});

describe('conversion and time functions', () => {
  it('converts with tostring, toint and tolong', () => {
    const [row] = records(
      run('print a = tostring(123), b = toint("42"), c = tolong("x"), d = tostring(1d), e = tostring(datetime(2024-01-01)), f = tolong(2.9)'),
    );
    expect(row).toEqual({ a: '123', b: 42, c: null, d: '1.00:00:00', e: '2024-01-01T00:00:00.0000000Z', f: 2 });
  });

  it('parses datetimes with datetime() and todatetime()', () => {
    const [row] = records(
      run('print a = datetime(2015-12-31 23:59:59.9), b = todatetime("2015-12-24"), c = todatetime("not a date"), d = todatetime("2015-12-24T10:00:00+02:00")'),
    );
    expect(row).toEqual({
      a: '2015-12-31T23:59:59.9000000Z',
      b: '2015-12-24T00:00:00.0000000Z',
      c: null,
      d: '2015-12-24T08:00:00.0000000Z',
    });
  });

  it('finds the start of a day, with an optional day offset (documented)', () => {
    const kql = 'range offset from -1 to 1 step 1 | project dayStart = startofday(datetime(2017-01-01 10:10:17), offset)';
    expect(column(run(kql), 'dayStart')).toEqual(['2016-12-31T00:00:00.0000000Z', '2017-01-01T00:00:00.0000000Z', '2017-01-02T00:00:00.0000000Z']);
  });

  it('rounds down with bin() (documented examples)', () => {
    const [row] = records(run('print a = bin(4.5, 1), b = bin(time(16d), 7d), c = bin(datetime(1970-05-11 13:45:07), 1d)'));
    expect(row).toEqual({ a: 4, b: '14.00:00:00', c: '1970-05-11T00:00:00.0000000Z' });
  });
});
