import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

/** Scalar functions, each with the examples of its Kusto documentation page (where the page is silent, Kusto's behaviour, said so). */
describe('string functions (documented examples)', () => {
  it('indexof', () => {
    const [row] = records(
      run(`print idx1 = indexof("abcdefg","cde"), idx2 = indexof("abcdefg","cde",1,4), idx3 = indexof("abcdefg","cde",1,2),
        idx4 = indexof("abcdefg","cde",3,4), idx5 = indexof("abcdefg","cde",-5), idx6 = indexof(1234567,5,1,4),
        idx7 = indexof("abcdefg","cde",2,-1), idx8 = indexof("abcdefgabcdefg", "cde", 1, 10, 2), idx9 = indexof("abcdefgabcdefg", "cde", 1, -1, 3)`),
    );
    expect(row).toEqual({ idx1: 2, idx2: 2, idx3: -1, idx4: -1, idx5: 2, idx6: 4, idx7: 2, idx8: 9, idx9: -1 });
  });

  it('countof: plain matches overlap, regex matches do not', () => {
    const [row] = records(
      run(`print a = countof("aaa", "a"), b = countof("aaaa", "aa"), c = countof("ababa", "ab", "normal"), d = countof("ababa", "aba"),
        e = countof("ababa", "aba", "regex"), f = countof("abcabc", "a.c", "regex")`),
    );
    expect(row).toEqual({ a: 3, b: 3, c: 2, d: 2, e: 1, f: 2 });
  });

  it('replace_regex and the deprecated replace rewrite with \\1 groups', () => {
    expect(scalar(`print replace_regex("Number is 3", @"is (\\d+)", @"was: \\1")`)).toBe('Number was: 3');
    expect(scalar(`print replace(@"is (\\d+)", @"was: \\1", "Number is 5")`)).toBe('Number was: 5');
  });

  it('trim, trim_start and trim_end remove a regex at the edges', () => {
    const [row] = records(
      run(`print a = trim("--", "--https://bing.com--"), b = trim_start("[^\\\\w]+", "--  https://bing.com--"), c = trim_end("[^\\\\w]+", "bing.com--  "), d = trim(@"[^\\w]+", "  <x>  ")`),
    );
    expect(row).toEqual({ a: 'https://bing.com', b: 'https://bing.com--', c: 'bing.com', d: 'x' });
  });

  it('string_size counts UTF-8 bytes, strcat_array joins', () => {
    const [row] = records(run('print a = string_size("hello"), b = string_size("⒦⒰⒮⒯⒪"), c = strcat_array(dynamic([1, 2, 3]), "->")'));
    expect(row).toEqual({ a: 5, b: 15, c: '1->2->3' });
  });

  it('extract_all returns each match, or its groups', () => {
    const [row] = records(
      run(`print a = extract_all(@"(\\d+)", "a1b22c333"), b = extract_all(@"(\\w)(\\d)", "a1b2"), c = extract_all(@"(\\d+)", "none")`),
    );
    expect(row).toEqual({ a: ['1', '22', '333'], b: [['a', '1'], ['b', '2']], c: null });
  });

  it('url_encode and url_decode (documented bing.com examples)', () => {
    const [row] = records(run("print e = url_encode('https://www.bing.com/'), d = url_decode('https%3a%2f%2fwww.bing.com%2f')"));
    expect(row).toEqual({ e: 'https%3a%2f%2fwww.bing.com%2f', d: 'https://www.bing.com/' });
  });

  it('base64 both ways; bytes that are not UTF-8 decode to nothing (the page\'s U3RyaW5n0KHR... example)', () => {
    const [row] = records(
      run(`print a = base64_encode_tostring("Kusto"), b = base64_decode_tostring("S3VzdG8="), c = base64_decode_toarray("S3VzdG8="),
        d = base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA="), e = base64_decode_tostring("8J+Ytg==")`),
    );
    expect(row).toEqual({ a: 'S3VzdG8=', b: 'Kusto', c: [75, 117, 115, 116, 111], d: '', e: '😶' });
  });

  it('parse_csv and parse_command_line', () => {
    const [row] = records(
      run(`print a = parse_csv('aaa,"b""bb",ccc'), b = parse_command_line("echo \\"hello world!\\"", "windows"),
        c = parse_command_line(@"powershell.exe -enc ""a b"" C:\\x\\ ", "windows")`),
    );
    expect(row).toEqual({ a: ['aaa', 'b"bb', 'ccc'], b: ['echo', 'hello world!'], c: ['powershell.exe', '-enc', 'a b', 'C:\\x\\'] });
  });

  it('hashes: hash_sha256 and hash_md5 give lower-case hex', () => {
    const [row] = records(run('print s = hash_sha256("World"), m = hash_md5("World")'));
    expect(row).toEqual({
      s: '78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524',
      m: 'f5a7924e621e84c9280a9a27e1bcb7f6',
    });
  });

  it('hasprefix and hassuffix match at term edges, with _cs and ! forms', () => {
    const [row] = records(
      run(`print a = "North America" hasprefix "ame", b = "North America" hasprefix "mer", c = "North America" hassuffix "ica",
        d = "North America" !hasprefix "ame", e = "North America" hasprefix_cs "Ame", f = "North America" hasprefix_cs "ame",
        g = "North America" hassuffix_cs "ica", h = "North America" !hassuffix "rth"`),
    );
    expect(row).toEqual({ a: true, b: false, c: true, d: false, e: true, f: false, g: true, h: false });
  });

  it('accepts regular expressions with flag groups in the middle, as RE2 does', () => {
    const [row] = records(run('print a = "xABC" matches regex "x((?i)abc)", b = "XABC" matches regex "x((?i)abc)", c = extract("a(?i:B)(c)", 1, "abc")'));
    expect(row).toEqual({ a: true, b: false, c: 'c' });
  });
});

describe('dynamic and number functions (documented examples)', () => {
  it('extract_json / extractjson with a JSONPath and an optional type', () => {
    const [row] = records(
      run(`let e = '{"hosts":[{"location":"North_DC","status":"running","rate":5},{"location":"South_DC","status":"stopped","rate":3}]}';
        print a = extract_json("$.hosts[1].status", e), b = extractjson("$.hosts[0].rate", e, typeof(int)), c = extract_json("$.nope", e),
        d = extract_json("$['hosts'][0]['location']", e)`),
    );
    expect(row).toEqual({ a: 'stopped', b: 5, c: '', d: 'North_DC' });
  });

  it('pack, pack_dictionary and bag_pack build property bags', () => {
    const [row] = records(run('print a = bag_pack("Level", "Information", "Count", 10), b = pack("k", 1), c = pack_dictionary("k", "v")'));
    expect(row).toEqual({ a: { Level: 'Information', Count: 10 }, b: { k: 1 }, c: { k: 'v' } });
  });

  it('parse_json / todynamic of text, of null, and of a dynamic value', () => {
    const [row] = records(run(`print a = parse_json('{"a":1}').a, b = isnull(todynamic("")), c = parse_json(dynamic([1])), d = todynamic('[1,2]')[-1]`));
    expect(row).toEqual({ a: 1, b: true, c: [1], d: 2 });
  });

  it('array functions: concat, slice, index_of, length', () => {
    const [row] = records(
      run(`print a = array_concat(dynamic([1,2]), dynamic([3])), b = array_slice(dynamic([1,2,3,4]), 1, 2), c = array_slice(dynamic([1,2,3,4]), -2, -1),
        d = array_index_of(dynamic(["a","b","c"]), "b"), e = array_index_of(dynamic([1,2,3]), 5), f = array_length(dynamic([1,2]))`),
    );
    expect(row).toEqual({ a: [1, 2, 3], b: [2, 3], c: [3, 4], d: 1, e: -1, f: 2 });
  });

  it('set functions: union, intersect, difference, has_element', () => {
    const [row] = records(
      run(`print u = set_union(dynamic([1,2,3]), dynamic([3,4])), i = set_intersect(dynamic([1,2,3]), dynamic([2,3,4])),
        d = set_difference(dynamic([1,2,3]), dynamic([2])), h = set_has_element(dynamic(["a","b"]), "b")`),
    );
    expect(row).toEqual({ u: [1, 2, 3, 4], i: [2, 3], d: [1, 3], h: true });
  });

  it('abs and the binary_* functions', () => {
    const [row] = records(
      run('print a = abs(-5), b = abs(-1.5), c = binary_and(6, 3), d = binary_or(6, 3), e = binary_xor(6, 3), f = binary_not(100), g = binary_shift_left(1, 4), h = binary_shift_right(16, 2)'),
    );
    expect(row).toEqual({ a: 5, b: 1.5, c: 2, d: 7, e: 5, f: -101, g: 16, h: 4 });
  });

  it('new_guid and rand give a fresh value per row', () => {
    const result = run('range x from 1 to 50 step 1 | extend g = new_guid(), r = rand(), n = rand(10)');
    expect(new Set(column(result, 'g')).size).toBe(50);
    expect(column(result, 'r').every((v) => typeof v === 'number' && v >= 0 && v < 1)).toBe(true);
    expect(column(result, 'n').every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
  });
});

describe('IP address functions (documented examples)', () => {
  it('ipv4_is_private over the RFC 1918 ranges', () => {
    const [row] = records(run(`print a = ipv4_is_private('192.168.1.1/24'), b = ipv4_is_private('10.1.2.3/24'), c = ipv4_is_private('202.1.2.3'), d = ipv4_is_private('127.0.0.1'), e = ipv4_is_private('172.31.0.1'), f = ipv4_is_private('x')`));
    expect(row).toEqual({ a: true, b: true, c: false, d: false, e: true, f: null });
  });

  it('ipv4_is_in_range, ipv4_compare, parse_ipv4, ipv6_compare', () => {
    const [row] = records(
      run(`print a = ipv4_is_in_range("10.1.2.3", "10.1.2.0/24"), b = ipv4_is_in_range("192.168.1.6", "192.168.1.1/24"), c = ipv4_is_in_range("10.2.0.1", "10.1.2.0/24"),
        d = ipv4_compare("127.0.0.1", "127.0.0.1"), e = ipv4_compare("192.168.1.1", "192.168.1.255"), f = ipv4_compare("192.168.1.1/24", "192.168.1.255/24"),
        g = ipv4_compare("192.168.1.1", "192.168.1.255", 24), h = parse_ipv4("127.0.0.1"), k = parse_ipv4("192.1.168.1/16"),
        l = ipv6_compare("::ffff:7f00:1", "127.0.0.1"), m = ipv6_compare("fe80::85d:e82c:9446:7994", "fe80::85d:e82c:9446:7995"),
        n = ipv6_compare("fe80::85d:e82c:9446:7994/127", "fe80::85d:e82c:9446:7995/127")`),
    );
    expect(row).toEqual({ a: true, b: true, c: false, d: 0, e: -1, f: 0, g: 0, h: 2130706433, k: 3221291008, l: 0, m: -1, n: 0 });
  });

  it('geo_info_from_ip_address is null locally: there is no GeoIP data (documented in src/kql/README.md)', () => {
    expect(scalar('print geo_info_from_ip_address("20.53.203.50")')).toBeNull();
  });
});

describe('date and time functions (documented examples)', () => {
  it('datetime_diff counts period boundaries', () => {
    const [row] = records(
      run(`print year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)), quarter = datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30)),
        month = datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30)), week = datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
        day = datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)), hour = datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59)),
        minute = datetime_diff('minute',datetime(2017-10-30 23:05:01),datetime(2017-10-30 23:00:59)), second = datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900)),
        millisecond = datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900)),
        microsecond = datetime_diff('microsecond',datetime(2017-10-30 23:00:00.1009001),datetime(2017-10-30 23:00:00.1008009)),
        nanosecond = datetime_diff('nanosecond',datetime(2017-10-30 23:00:00.0000000),datetime(2017-10-30 23:00:00.0000007))`),
    );
    expect(row).toEqual({ year: 17, quarter: 2, month: 13, week: 5, day: 29, hour: 2, minute: 5, second: 10, millisecond: 100, microsecond: 100, nanosecond: -700 });
  });

  it('datetime_add adds calendar and fixed periods', () => {
    const [row] = records(
      run(`print year = datetime_add('year',1,datetime(2017-01-01)), month = datetime_add('month',1,datetime(2017-01-31)), week = datetime_add('week',1,datetime(2017-01-01)),
        hour = datetime_add('hour',-1,datetime(2017-01-01)), ms = datetime_add('millisecond',5,datetime(2017-01-01))`),
    );
    expect(row).toEqual({
      year: '2018-01-01T00:00:00.0000000Z',
      month: '2017-02-28T00:00:00.0000000Z',
      week: '2017-01-08T00:00:00.0000000Z',
      hour: '2016-12-31T23:00:00.0000000Z',
      ms: '2017-01-01T00:00:00.0050000Z',
    });
  });

  it('startof* and endof* periods, with offsets', () => {
    const [row] = records(
      run(`let d = datetime(2017-01-11 10:20:30); print sw = startofweek(d), sm = startofmonth(d), sy = startofyear(d, 1), ed = endofday(d),
        ew = endofweek(d), em = endofmonth(d, -1), ey = endofyear(d)`),
    );
    expect(row).toEqual({
      sw: '2017-01-08T00:00:00.0000000Z',
      sm: '2017-01-01T00:00:00.0000000Z',
      sy: '2018-01-01T00:00:00.0000000Z',
      ed: '2017-01-11T23:59:59.9999999Z',
      ew: '2017-01-14T23:59:59.9999999Z',
      em: '2016-12-31T23:59:59.9999999Z',
      ey: '2017-12-31T23:59:59.9999999Z',
    });
  });

  it('format_datetime and format_timespan (documented formats)', () => {
    const [row] = records(
      run(`let dt = datetime(2017-01-29 09:00:05); let t = time(1.02:03:04.5);
        print a = format_datetime(dt,'yy-MM-dd [HH:mm:ss]'), b = format_datetime(dt, 'yyyy-M-dd [H:mm:ss]'), c = format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]'),
        d = format_timespan(t, 'h:m:s.fffffff'), e = format_timespan(t, 'dd.hh:mm:ss:FF')`),
    );
    expect(row).toEqual({
      a: '17-01-29 [09:00:05]',
      b: '2017-1-29 [9:00:05]',
      c: '17-01-29 [09:00:05 AM]',
      d: '2:3:4.5000000',
      e: '01.02:03:04:5',
    });
  });

  it('ingestion_time() is the row TimeGenerated locally', () => {
    const result = run('SigninLogs | extend i = ingestion_time() | project i', { SigninLogs: [{ TimeGenerated: '2024-05-01T10:00:00Z' }] });
    expect(column(result, 'i')).toEqual(['2024-05-01T10:00:00.0000000Z']);
  });

  it('has_any with a tabular argument uses its first column', () => {
    const result = run(`let terms = datatable(t:string)["evil", "bad"]; datatable(s:string)["an evil thing", "good"] | where s has_any (terms)`);
    expect(column(result, 's')).toEqual(['an evil thing']);
  });
});
