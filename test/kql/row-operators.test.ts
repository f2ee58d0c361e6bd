import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

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
