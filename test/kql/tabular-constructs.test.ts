import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { warmUpKql } from '../../src/kql';
import { column, engineOver, NOW, records, run } from './helpers';

beforeAll(warmUpKql);

describe('render', () => {
  it('passes the rows through and reports the chart type it did not draw', () => {
    const result = run('range x from 1 to 3 step 1 | summarize c = count() by x | render columnchart');
    expect(result.rows).toHaveLength(3);
    expect(result.chart).toBe('columnchart');
    expect(run('print 1').chart).toBeUndefined();
  });
});

describe('union isfuzzy=true', () => {
  it('skips a table that does not exist, as Kusto does', () => {
    const result = run('union isfuzzy=true (datatable(a:long)[1, 2]), NoSuchTable | count');
    expect(column(result, 'Count')).toEqual([2]);
  });
});

describe('join on several $left.A == $right.B conditions joined by and', () => {
  it('matches on every pair (join operator page: "and" or commas)', () => {
    const result = run(`
      let L = datatable(a:string, b:long)["x", 1, "x", 2, "y", 1];
      let R = datatable(c:string, d:long, v:string)["x", 1, "first", "x", 2, "second", "y", 2, "none"];
      L | join kind=inner R on $left.a == $right.c and $left.b == $right.d | project a, b, v | order by b asc`);
    expect(records(result)).toEqual([
      { a: 'x', b: 1, v: 'first' },
      { a: 'x', b: 2, v: 'second' },
    ]);
  });
});

describe('serialize, row_number, prev and next (documented examples)', () => {
  it('numbers rows and reads neighbours in the serialized order', () => {
    const result = run('range a from 1 to 4 step 1 | sort by a desc | extend rn = row_number(), p = prev(a), n = next(a, 1, -1), p2 = prev(a, 2)');
    expect(records(result)).toEqual([
      { a: 4, rn: 1, p: null, n: 3, p2: null },
      { a: 3, rn: 2, p: 4, n: 2, p2: null },
      { a: 2, rn: 3, p: 3, n: 1, p2: 4 },
      { a: 1, rn: 4, p: 2, n: -1, p2: 3 },
    ]);
  });

  it('restarts row_number when its condition is true, and serialize can add columns', () => {
    const result = run(`datatable(k:string, v:long)["a", 1, "a", 2, "b", 3, "b", 4, "b", 5]
      | serialize f1 = 1
      | extend rn = row_number(1, prev(k) != k)`);
    expect(column(result, 'rn')).toEqual([1, 2, 1, 2, 3]);
    expect(column(result, 'f1')).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('user-defined functions (let f = (x:T) { ... })', () => {
  it('calls a scalar function with row values', () => {
    const result = run('let twice = (x:long) { x * 2 }; range a from 1 to 3 step 1 | extend d = twice(a)');
    expect(column(result, 'd')).toEqual([2, 4, 6]);
  });

  it('calls a scalar function with a default parameter and a let inside', () => {
    const result = run("let greet = (name:string, greeting:string = 'Hello') { let sep = ', '; strcat(greeting, sep, name) }; print a = greet('you'), b = greet('me', 'Hi')");
    expect(records(result)).toEqual([{ a: 'Hello, you', b: 'Hi, me' }]);
  });

  it('calls a tabular function, and invokes one over the piped rows', () => {
    const result = run(`
      let upTo = (n:long) { range i from 1 to n step 1 };
      let bigOnes = (T:(i:long), min:long) { T | where i >= min };
      upTo(5) | invoke bigOnes(4)`);
    expect(column(result, 'i')).toEqual([4, 5]);
  });
});

describe('invoke FileProfile() (Defender enrichment)', () => {
  const events = {
    DeviceFileEvents: [
      { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'a', FileName: 'x.exe', SHA1: 'AA11' },
      { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'b', FileName: 'y.exe', SHA1: 'bb22' },
    ],
  };

  it('adds the documented columns, null when no FileProfile table is loaded', () => {
    const result = run('DeviceFileEvents | invoke FileProfile("SHA1", 1000) | project FileName, GlobalPrevalence, Signer, IsRootSignerMicrosoft, ProfileAvailability', events);
    expect(records(result)).toEqual([
      { FileName: 'x.exe', GlobalPrevalence: null, Signer: '', IsRootSignerMicrosoft: null, ProfileAvailability: '' },
      { FileName: 'y.exe', GlobalPrevalence: null, Signer: '', IsRootSignerMicrosoft: null, ProfileAvailability: '' },
    ]);
  });

  it('takes the values from a FileProfile table when one is loaded, matching hashes case-insensitively', () => {
    const tables = {
      ...events,
      FileProfile: [{ Timestamp: '2024-05-01T00:00:00Z', SHA1: 'aa11', GlobalPrevalence: 3, Signer: 'Contoso', IsRootSignerMicrosoft: false }],
    };
    const result = run('DeviceFileEvents | invoke FileProfile() | where GlobalPrevalence < 10 | project FileName, GlobalPrevalence, Signer, IsRootSignerMicrosoft', tables);
    expect(records(result)).toEqual([{ FileName: 'x.exe', GlobalPrevalence: 3, Signer: 'Contoso', IsRootSignerMicrosoft: false }]);
  });
});

describe('summarize: several names at once, expressions over aggregates, deprecated and distinct-count aggregates', () => {
  const rows = 'datatable(k:string, t:long, v:string)["a", 1, "x", "a", 5, "y", "b", 2, "z", "b", 2, "z"]';

  it('assigns the columns of arg_max to several names: (T, V) = arg_max(t, v)', () => {
    const result = run(`${rows} | summarize (T, V) = arg_max(t, v) by k | order by k asc`);
    expect(records(result)).toEqual([
      { k: 'a', T: 5, V: 'y' },
      { k: 'b', T: 2, V: 'z' },
    ]);
  });

  it('evaluates expressions over aggregates (summarize x = count() * 2)', () => {
    const result = run(`${rows} | summarize twice = count() * 2, ratio = todouble(sum(t)) / count(), many = dcount(v) > 1 by k | order by k asc`);
    expect(records(result)).toEqual([
      { k: 'a', twice: 4, ratio: 3, many: true },
      { k: 'b', twice: 4, ratio: 2, many: false },
    ]);
  });

  it('supports argmax/argmin and count_distinct', () => {
    const result = run(`${rows} | summarize argmax(t, v), c = count_distinct(v) by k | order by k asc`);
    expect(result.rows).toEqual([
      ['a', 5, 'y', 2],
      ['b', 2, 'z', 1],
    ]);
  });
});

describe('externaldata through HUNT_EXTERNALDATA_DIR (a manifest maps each URL to a local file)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'externaldata-'));
    writeFileSync(join(dir, 'iocs.csv'), 'Sha1,Name\nabc,evil.exe\n"d,e",odd\n');
    writeFileSync(join(dir, 'domains.txt'), 'bad.example\nworse.example\n');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ 'https://example.com/iocs.csv': 'iocs.csv', 'https://example.com/domains.txt': 'domains.txt' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a CSV with a header line skipped, and a text list, from the mapped files', () => {
    const engine = engineOver({});
    const csv = engine.query('externaldata(Sha1:string, Name:string) [@"https://example.com/iocs.csv"] with (format="csv", ignoreFirstRecord=true)', { now: NOW, externalDataDir: dir });
    expect(records(csv)).toEqual([
      { Sha1: 'abc', Name: 'evil.exe' },
      { Sha1: 'd,e', Name: 'odd' },
    ]);
    const txt = engine.query('externaldata(Domain:string) ["https://example.com/domains.txt"] with (format="txt") | count', { now: NOW, externalDataDir: dir });
    expect(column(txt, 'Count')).toEqual([2]);
  });

  it('fails naming the URL when it has no local file, rather than returning nothing', () => {
    const engine = engineOver({});
    const kql = 'externaldata(a:string) ["https://example.com/unknown.csv"]';
    expect(() => engine.query(kql, { now: NOW, externalDataDir: dir })).toThrow(/no local file for https:\/\/example.com\/unknown.csv/);
    expect(() => engine.query(kql, { now: NOW })).toThrow(/https:\/\/example.com\/unknown.csv cannot be fetched locally; set HUNT_EXTERNALDATA_DIR/);
  });
});

describe('parse and parse-where (parse operator page examples)', () => {
  const traces = `datatable(EventText:string)[
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00, previousLockTime=02/17/2016 08:39:00)",
    "something else"]`;

  it('extracts typed columns in simple mode, leaving non-matching rows with empty columns', () => {
    const result = run(`${traces} | parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices:long * "sliceNumber=" sliceNumber:long * "lockTime=" lockTime ", releaseTime=" releaseTime:date "," * | project resourceName, totalSlices, sliceNumber, lockTime, releaseTime`);
    expect(records(result)).toEqual([
      { resourceName: 'PipelineScheduler', totalSlices: 27, sliceNumber: 23, lockTime: '02/17/2016 08:40:01', releaseTime: '2016-02-17T08:40:01.0000000Z' },
      { resourceName: 'PipelineScheduler', totalSlices: 27, sliceNumber: 15, lockTime: '02/17/2016 08:40:00', releaseTime: '2016-02-17T08:40:00.0000000Z' },
      { resourceName: '', totalSlices: null, sliceNumber: null, lockTime: '', releaseTime: null },
    ]);
  });

  it('uses regular expressions with kind=regex, and parse-where drops rows that do not match', () => {
    const result = run(`${traces} | parse-where kind=regex EventText with ".*?sliceNumber=" sliceNumber:long ", lockTime" | project sliceNumber`);
    expect(column(result, 'sliceNumber')).toEqual([23, 15]);
  });
});

describe('evaluate bag_unpack (bag_unpack plugin page)', () => {
  const bags = `datatable(d:dynamic, x:long)[dynamic({"Name":"John", "Age":20}), 1, dynamic({"Name":"Dave", "Age":40}), 2, dynamic({"Name":"Jasmine", "Age":30}), 3]`;

  it('turns each property into a column, which later operators can read by name', () => {
    const result = run(`${bags} | evaluate bag_unpack(d) | where Age > 25 | project x, Name, Age`);
    expect(records(result)).toEqual([
      { x: 2, Name: 'Dave', Age: 40 },
      { x: 3, Name: 'Jasmine', Age: 30 },
    ]);
  });

  it('adds a prefix, and follows an explicit output schema', () => {
    const prefixed = run(`${bags} | evaluate bag_unpack(d, 'p_') | take 1`);
    expect(prefixed.columns.map((c) => c.name)).toEqual(['x', 'p_Name', 'p_Age']);
    const typed = run(`${bags} | evaluate bag_unpack(d) : (x:long, Name:string, Age:long) | summarize total = sum(Age)`);
    expect(column(typed, 'total')).toEqual([90]);
  });
});

describe('mv-apply (mv-apply operator page)', () => {
  it('runs the subquery on each row\'s expanded array: the two largest elements', () => {
    const result = run(`datatable(xxx:string, l:dynamic)["Odd", dynamic([1,3,5,7,9]), "Even", dynamic([2,4,6,8])]
      | mv-apply l to typeof(long) on (top 2 by l)`);
    expect(records(result)).toEqual([
      { xxx: 'Odd', l: 9 },
      { xxx: 'Odd', l: 7 },
      { xxx: 'Even', l: 8 },
      { xxx: 'Even', l: 6 },
    ]);
  });

  it('summarizes inside the subquery, keeping the row\'s other columns', () => {
    const result = run(`datatable(xxx:string, l:dynamic)["Odd", dynamic([1,3,5,7,9]), "Even", dynamic([2,4,6,8])]
      | mv-apply l to typeof(long) on (summarize total = sum(l))`);
    expect(records(result)).toEqual([
      { xxx: 'Odd', total: 25 },
      { xxx: 'Even', total: 20 },
    ]);
  });
});

describe('partition (partition operator page)', () => {
  it('runs the subquery on each partition: the top row per key', () => {
    const result = run(`datatable(k:string, v:long)["a", 1, "a", 3, "b", 2, "b", 5, "b", 4]
      | partition hint.strategy=native by k (top 1 by v)`);
    expect(records(result)).toEqual([
      { k: 'a', v: 3 },
      { k: 'b', v: 5 },
    ]);
  });
});

describe('top-nested (top-nested operator page)', () => {
  it('takes the top values of each key within the top values of the one before', () => {
    const result = run(`datatable(State:string, Source:string, n:long)[
        "TX", "Public", 5, "TX", "Public", 5, "TX", "Trained", 3, "TX", "Law", 1,
        "KS", "Public", 4, "KS", "Law", 6, "IA", "Public", 1]
      | top-nested 2 of State by sum(n), top-nested 1 of Source by sum(n)`);
    expect(result.rows).toEqual([
      ['TX', 14, 'Public', 10],
      ['KS', 10, 'Law', 6],
    ]);
  });
});
