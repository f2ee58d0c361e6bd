import { warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

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
