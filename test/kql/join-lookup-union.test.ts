import { warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

// The join-flavor examples of the Kusto documentation.
const XY = `let X = datatable(Key:string, Value1:long)['a',1, 'b',2, 'b',3, 'c',4];
let Y = datatable(Key:string, Value2:long)['b',10, 'c',20, 'c',30, 'd',40];
`;

function joined(kind: string): string[] {
  const result = run(`${XY} X | join ${kind} Y on Key`);
  return records(result).map((r) => Object.values(r).join(','));
}

describe('join', () => {
  it('defaults to innerunique: one left row per key, all matching right rows', () => {
    const rows = joined('');
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('b,'))).toHaveLength(1);
    expect(rows.filter((r) => r.startsWith('c,4,c,'))).toEqual(['c,4,c,20', 'c,4,c,30']);
  });

  it('keeps every matching pair with kind=inner', () => {
    expect(joined('kind=inner')).toEqual(['b,2,b,10', 'b,3,b,10', 'c,4,c,20', 'c,4,c,30']);
  });

  it('keeps unmatched left rows with empty right columns with kind=leftouter', () => {
    expect(joined('kind=leftouter')).toEqual(['a,1,,', 'b,2,b,10', 'b,3,b,10', 'c,4,c,20', 'c,4,c,30']);
    const [unmatched] = records(run(`${XY} X | join kind=leftouter Y on Key`));
    expect(unmatched).toEqual({ Key: 'a', Value1: 1, Key1: '', Value2: null });
  });

  it('returns left rows without / with a match with leftanti and leftsemi', () => {
    expect(joined('kind=leftanti')).toEqual(['a,1']);
    expect(joined('kind=leftsemi')).toEqual(['b,2', 'b,3', 'c,4']);
  });

  it('returns right rows without a match with rightanti', () => {
    expect(joined('kind=rightanti')).toEqual(['d,40']);
  });

  it('joins on differently named columns with $left.A == $right.B', () => {
    const kql = `${XY} X | join kind=inner (Y | project K2 = Key, Value2) on $left.Key == $right.K2`;
    expect(run(kql).columns.map((c) => c.name)).toEqual(['Key', 'Value1', 'K2', 'Value2']);
    expect(run(kql).rows).toHaveLength(4);
  });
});

describe('lookup', () => {
  it('extends the fact table with dimension columns (documented FactTable/DimTable)', () => {
    const kql = `let FactTable=datatable(Row:string,Personal:string,Family:string)["1", "Rowan", "Murphy", "2", "Ellis", "Turner", "3", "Ellis", "Turner", "4", "Maya", "Robinson", "5", "Quinn", "Campbell"];
let DimTable=datatable(Personal:string,Family:string,Alias:string)["Rowan", "Murphy", "rowanm", "Ellis", "Turner", "ellist", "Maya", "Robinson", "mayar", "Quinn", "Campbell", "quinnc"];
FactTable | lookup kind=leftouter DimTable on Personal, Family`;
    const result = run(kql);
    expect(result.columns.map((c) => c.name)).toEqual(['Row', 'Personal', 'Family', 'Alias']);
    expect(result.rows.map((r) => r[3])).toEqual(['rowanm', 'ellist', 'ellist', 'mayar', 'quinnc']);
  });

  it('keeps unmatched rows with empty values by default and drops them with kind=inner', () => {
    expect(run(`${XY} X | lookup Y on Key`).rows).toContainEqual(['a', 1, null]);
    expect(run(`${XY} X | lookup kind=inner Y on Key`).rows.map((r) => r[0])).not.toContain('a');
  });
});

describe('union', () => {
  it('stacks rows and unions the columns by name', () => {
    const result = run("union (print A = 1, B = 'x'), (print A = 2, C = true)");
    expect(result.columns.map((c) => c.name)).toEqual(['A', 'B', 'C']);
    expect(result.rows).toEqual([
      [1, 'x', null],
      [2, '', true],
    ]);
  });

  it('works as a pipe operator', () => {
    expect(run('range x from 1 to 2 step 1 | union (range x from 5 to 5 step 1)').rows).toEqual([[1], [2], [5]]);
  });
});
