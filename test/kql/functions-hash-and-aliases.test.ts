import { KqlRuntimeError, KqlUnsupportedError, warmUpKql } from '../../src/kql';
import { xxhash64 } from '../../src/kql/values/xxhash64';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** What run() throws for a query, for asserting refusals. */
function failure(kql: string, tables = {}): Error {
  try {
    run(kql, tables);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the query ran');
}

describe('xxhash64 matches the published XXH64 test vectors', () => {
  it.each([
    ['', 0n, 0xef46db3751d8e999n],
    ['a', 0n, 0xd24ec4f1a98c6e5bn],
    ['abc', 0n, 0x44bc2cf5ad770999n],
    ['ABC', 0n, 0xe66ae7354fcfee98n],
    ['xxhash', 0n, 0x32dd38952c4bc720n],
    ['test', 0n, 5754696928334414137n],
    ['test', 123n, 3134990500624303823n],
    ['', 668718853n, 0x04e830582a31a119n],
    ['abcdefghijklmnopqrstuvwxyz12345', 0n, 0x467605901b01d6f6n],
    // 43 bytes: exercises the 32-byte stripes, the 8- and 4-byte lanes and the tail bytes
    ['The quick brown fox jumps over the lazy dog', 43n, 0x9a11f5e9468d7425n],
  ])('XXH64(%j, seed %s)', (text, seed, expected) => {
    expect(xxhash64(bytes(text), seed)).toBe(expected);
  });
});

describe('hash() and hash_xxhash64() (documented examples)', () => {
  it('hashes a string\'s UTF-8 exactly as the documentation shows (as exact as a long is here: 2^53)', () => {
    // The page's value; the engine's long is a JavaScript number, so it compares after the same rounding.
    expect(BigInt.asIntN(64, xxhash64(bytes('World')))).toBe(1846988464401551951n);
    expect(scalar('print result = hash("World")')).toBe(Number(1846988464401551951n));
    expect(scalar('print result = hash_xxhash64("World")')).toBe(Number(1846988464401551951n));
  });

  it('with mod returns the hash modulo mod, exactly: hash("World", 100) is 51', () => {
    expect(scalar('print result = hash("World", 100)')).toBe(51);
    expect(scalar('print result = hash_xxhash64("World", 100)')).toBe(51);
  });

  it('hashes a datetime by its .NET ticks: hash(datetime("2015-01-01")) is 1380966698541616202', () => {
    expect(scalar('print result = hash(datetime("2015-01-01"))')).toBe(Number(1380966698541616202n));
  });

  it('hashes long, int and real by their .NET binary layout (the page is silent; values as in ClickHouse\'s Kusto-dialect conformance test)', () => {
    const [row] = records(run('print l = hash(-1), i = hash(int(-1)), r = hash(real(-1)), m = hash(-1, 100)'));
    expect(row).toEqual({
      l: Number(-8804195676797548855n),
      i: Number(9185342943168159635n),
      r: Number(-6832119211494701554n),
      m: 61, // the unsigned hash modulo 100, so never negative
    });
  });

  it('samples rows as the documentation\'s hash(StartTime, 10) == 0 example does: the same rows every time, a share of them', () => {
    const rows = Array.from({ length: 200 }, (_, k) => ({ Timestamp: new Date(Date.UTC(2024, 0, 1) + k * 3_600_000).toISOString(), k }));
    const query = 'T | where hash(Timestamp, 10) == 0 | project k';
    const picked = column(run(query, { T: rows }), 'k');
    expect(column(run(query, { T: rows }), 'k')).toEqual(picked);
    expect(picked.length).toBeGreaterThan(5);
    expect(picked.length).toBeLessThan(50);
    const buckets = column(run('T | project b = hash(Timestamp, 10)', { T: rows }), 'b') as number[];
    expect(buckets.every((b) => Number.isInteger(b) && b >= 0 && b < 10)).toBe(true);
  });

  it('is null for a null value', () => {
    expect(scalar('print result = hash(long(null))')).toBeNull();
  });

  it('refuses a mod that is not a positive constant, as Kusto does', () => {
    const error = failure('print result = hash("World", 0)');
    expect(error).toBeInstanceOf(KqlRuntimeError);
    expect(error.message).toMatch(/argument 2 \(mod\) must be a constant positive long value/);
  });

  it('refuses, before any row is read, a type whose hashed bytes Kusto does not document', () => {
    const tables = { T: [{ Timestamp: '2024-01-01T00:00:00Z', flag: true }] };
    const error = failure('T | where Timestamp > datetime(2030-01-01) | extend h = hash(flag)', tables);
    expect(error).toBeInstanceOf(KqlUnsupportedError);
    expect(error.message).toMatch(/hash\(\) of a bool value/);
  });

  it('says exactly why hash_combine() and hash_many() are refused: Kusto does not document how it combines hashes', () => {
    for (const q of ['print hash_combine(hash("Hello"), hash("World"))', 'print hash_many("Hello", "World")']) {
      const error = failure(q);
      expect(error).toBeInstanceOf(KqlUnsupportedError);
      expect(error.message).toMatch(/does not document how it combines hashes/);
    }
  });
});

describe('deprecated aliases published hunts still use', () => {
  it('base64_decodestring and base64_encodestring are base64_decode_tostring and base64_encode_tostring', () => {
    const [row] = records(run('print d = base64_decodestring("S3VzdG8="), e = base64_encodestring("Kusto")'));
    expect(row).toEqual({ d: 'Kusto', e: 'S3VzdG8=' });
  });

  it('make_string is unicode_codepoints_to_string (documented examples)', () => {
    const [row] = records(
      run(`print a = unicode_codepoints_to_string(75, 117, 115, 116, 111), b = unicode_codepoints_to_string(dynamic([75, 117, 115, 116, 111])),
        c = unicode_codepoints_to_string(dynamic([75, 117, 115]), 116, 111), d = unicode_codepoints_to_string(75, 10, 117, 10, 115, 10, 116, 10, 111),
        e = unicode_codepoints_to_string(range(48,57), range(65,90), range(97,122)), f = make_string(75, 117, 115, 116, 111)`),
    );
    expect(row).toEqual({
      a: 'Kusto',
      b: 'Kusto',
      c: 'Kusto',
      d: 'K\nu\ns\nt\no',
      e: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      f: 'Kusto',
    });
  });

  it('a value that is not a code point gives null (an empty string)', () => {
    expect(scalar('print s = unicode_codepoints_to_string(75, -1)')).toBe('');
  });

  it('unicode_codepoints_from_string and its alias to_utf8 (documented examples)', () => {
    const [row] = records(
      run('print a = unicode_codepoints_from_string("⒦⒰⒮⒯⒪"), b = to_utf8("קוסטו - Kusto"), c = unicode_codepoints_to_string(unicode_codepoints_from_string("Kusto"))'),
    );
    expect(row).toEqual({
      a: [9382, 9392, 9390, 9391, 9386],
      b: [1511, 1493, 1505, 1496, 1493, 32, 45, 32, 75, 117, 115, 116, 111],
      c: 'Kusto',
    });
  });

  it('range() builds the documented arrays', () => {
    const [row] = records(run('print a = range(1, 8, 3), b = range(1, 3), c = range(1h, 5h), d = array_length(range(datetime(2007-01-01), datetime(2007-12-31), 1d))'));
    expect(row).toEqual({ a: [1, 4, 7], b: [1, 2, 3], c: ['01:00:00', '02:00:00', '03:00:00', '04:00:00', '05:00:00'], d: 365 });
    expect(scalar('print r = range(1, 1000000000) | mv-expand r | count')).toBe(1_048_576);
  });
});

describe('column_ifexists() (documented example)', () => {
  const storms = { StormEvents: [{ Timestamp: '2024-01-01T00:00:00Z', State: 'ATLANTIC SOUTH' }, { Timestamp: '2024-01-01T00:00:00Z', State: 'FLORIDA' }] };

  it('uses the default when the input has no such column: project column_ifexists("Capital", State)', () => {
    const result = run('StormEvents | project column_ifexists("Capital", State)', storms);
    expect(result.rows).toEqual([['ATLANTIC SOUTH'], ['FLORIDA']]);
  });

  it('reads the column when the input has it, also through the deprecated columnifexists', () => {
    const result = run('StormEvents | extend a = column_ifexists("State", "none"), b = columnifexists("Capital", "none") | project a, b', storms);
    expect(records(result)).toEqual([
      { a: 'ATLANTIC SOUTH', b: 'none' },
      { a: 'FLORIDA', b: 'none' },
    ]);
  });

  it('decides against the schema of the operator\'s input: a column added by extend counts', () => {
    const result = run('StormEvents | extend Capital = "Tallahassee" | where column_ifexists("Capital", "") == "Tallahassee" | count', storms);
    expect(result.rows).toEqual([[2]]);
  });
});
