import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

const devices = {
  DeviceInfo: [
    { DeviceId: 'd1', DeviceName: 'alpha', OSPlatform: 'Windows10', OSBuild: 19045 },
    { DeviceId: 'd2', DeviceName: 'beta', OSPlatform: 'Windows11', OSBuild: 22631 },
  ],
};

describe('project family', () => {
  it('projects, renames and computes columns in the order written', () => {
    const result = run('DeviceInfo | project Name = DeviceName, DeviceId, Next = OSBuild + 1, strlen(DeviceName)', devices);
    expect(result.columns).toEqual([
      { name: 'Name', type: 'string' },
      { name: 'DeviceId', type: 'string' },
      { name: 'Next', type: 'long' },
      { name: 'strlen_DeviceName', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      ['alpha', 'd1', 19046, 5],
      ['beta', 'd2', 22632, 4],
    ]);
  });

  it('removes columns with project-away (documented print a, b, c | project-away a, c)', () => {
    expect(records(run("print a='a', b='b', c='c' | project-away a, c"))).toEqual([{ b: 'b' }]);
  });

  it('keeps and reorders columns by name, wildcards included', () => {
    expect(run('DeviceInfo | project-keep Device* | take 1', devices).columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'DeviceName',
      'DeviceCategory',
      'DeviceType',
      'DeviceSubtype',
      'DeviceManualTags',
      'DeviceDynamicTags',
    ]);
    expect(run('DeviceInfo | project DeviceId, OSBuild | project-reorder OSBuild', devices).rows[0]).toEqual([19045, 'd1']);
  });

  it('renames in place with project-rename (documented new_b=b, new_a=a)', () => {
    const result = run("print a='a', b='b', c='c' | project-rename new_b=b, new_a=a");
    expect(result.columns.map((c) => c.name)).toEqual(['new_a', 'new_b', 'c']);
    expect(result.rows).toEqual([['a', 'b', 'c']]);
  });
});

describe('extend', () => {
  it('appends new columns and replaces existing ones in place', () => {
    const result = run('DeviceInfo | project DeviceId, DeviceName | extend DeviceName = toupper(DeviceName), Len = strlen(DeviceId)', devices);
    expect(records(result)).toEqual([
      { DeviceId: 'd1', DeviceName: 'ALPHA', Len: 2 },
      { DeviceId: 'd2', DeviceName: 'BETA', Len: 2 },
    ]);
  });

  it('works after where, on the filtered rows only', () => {
    const result = run("DeviceInfo | where OSPlatform has 'Windows11' | extend Build = tostring(OSBuild) | project DeviceId, Build", devices);
    expect(result.rows).toEqual([['d2', '22631']]);
  });

  it('names unnamed expressions as the analyser does', () => {
    const result = run('DeviceInfo | project DeviceId | extend strcat(DeviceId, "!")', devices);
    expect(result.columns.map((c) => c.name)).toEqual(['DeviceId', 'Column1']);
    expect(result.rows[0]).toEqual(['d1', 'd1!']);
  });
});

const withNulls = 'datatable(x:int, y:string)[1, "prod", 4, "", int(null), "dev"]';

describe('sort and order by', () => {
  it('sorts descending by default', () => {
    expect(column(run('range x from 1 to 3 step 1 | sort by x'), 'x')).toEqual([3, 2, 1]);
  });

  it('puts nulls first when ascending and last when descending unless told otherwise (documented)', () => {
    expect(column(run(`${withNulls} | sort by x asc`), 'y')).toEqual(['dev', 'prod', '']);
    expect(column(run(`${withNulls} | order by x desc`), 'y')).toEqual(['', 'prod', 'dev']);
    expect(column(run(`${withNulls} | sort by x asc nulls last`), 'y')).toEqual(['prod', '', 'dev']);
  });

  it('sorts by several keys in turn', () => {
    const kql = "datatable(a:string, b:long)['x', 1, 'y', 2, 'x', 3] | order by a asc, b desc";
    expect(run(kql).rows).toEqual([
      ['x', 3],
      ['x', 1],
      ['y', 2],
    ]);
  });
});

describe('top, take, limit', () => {
  it('keeps the first n rows by a key with top (descending by default)', () => {
    expect(column(run('range x from 1 to 10 step 1 | top 3 by x'), 'x')).toEqual([10, 9, 8]);
    expect(column(run('range x from 1 to 10 step 1 | top 2 by x asc'), 'x')).toEqual([1, 2]);
  });

  it('keeps n rows with take and limit', () => {
    expect(run('range x from 1 to 10 step 1 | take 4').rows).toHaveLength(4);
    expect(run('range x from 1 to 10 step 1 | limit 2').rows).toHaveLength(2);
    expect(run('range x from 1 to 2 step 1 | take 5').rows).toHaveLength(2);
  });
});

describe('distinct and count', () => {
  it('returns distinct combinations of the listed columns', () => {
    const kql = "datatable(a:string, b:long)['x', 1, 'y', 2, 'x', 1, 'x', 2] | distinct a, b";
    expect(records(run(kql))).toEqual([
      { a: 'x', b: 1 },
      { a: 'y', b: 2 },
      { a: 'x', b: 2 },
    ]);
    expect(run("datatable(a:string)['x', 'x'] | distinct *").rows).toEqual([['x']]);
  });

  it('counts rows into a long Count column', () => {
    const result = run('range x from 1 to 7 step 1 | where x > 2 | count');
    expect(result).toEqual({ columns: [{ name: 'Count', type: 'long' }], rows: [[5]] });
    expect(scalar('range x from 1 to 7 step 1 | where x > 100 | count')).toBe(0);
  });
});

describe('mv-expand', () => {
  it('expands arrays to one row per element and drops empty arrays, but keeps null', () => {
    const kql = "datatable(a:string, b:dynamic)['x', dynamic([1, 2]), 'y', dynamic([]), 'z', dynamic(null)] | mv-expand b";
    expect(run(kql).rows).toEqual([
      ['x', 1],
      ['x', 2],
      ['z', null],
    ]);
  });

  it('expands a property bag into single-entry bags (documented)', () => {
    const kql = 'datatable (a: int, b: dynamic)[1, dynamic({"prop1": "a1", "prop2": "b1"})] | mv-expand b';
    expect(records(run(kql))).toEqual([
      { a: 1, b: { prop1: 'a1' } },
      { a: 1, b: { prop2: 'b1' } },
    ]);
  });

  it('zips several columns, padding the shorter with null (documented)', () => {
    const kql = 'datatable (a: int, b: dynamic, c: dynamic)[1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])] | mv-expand b, c';
    expect(run(kql).rows).toEqual([
      [1, { prop1: 'a' }, 5],
      [1, { prop2: 'b' }, 4],
      [1, null, 3],
    ]);
  });

  it('names, types and indexes the expansion with Name =, to typeof() and with_itemindex', () => {
    const kql = "datatable(b:dynamic)[dynamic([10, 'x', 30])] | mv-expand with_itemindex=Ix v = b to typeof(long)";
    const result = run(kql);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['b:dynamic', 'v:long', 'Ix:long']);
    expect(result.rows.map((r) => [r[1], r[2]])).toEqual([
      [10, 0],
      [null, 1],
      [30, 2],
    ]);
  });

  it('caps rows per input row with limit', () => {
    expect(run('print b = dynamic([1, 2, 3]) | mv-expand b limit 2').rows).toEqual([[1], [2]]);
  });
});
