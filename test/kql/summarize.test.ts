import { warmUpKql } from '../../src/kql';
import { column, records, run } from './helpers';

beforeAll(warmUpKql);

const sales = `let Sales = datatable(Region:string, Product:string, Amount:long, At:datetime, Tags:dynamic)[
  'east', 'pen', 10, datetime(2024-01-01 08:00), dynamic(['a', 'b']),
  'east', 'ink', 5, datetime(2024-01-01 20:00), dynamic(['b']),
  'west', 'pen', 7, datetime(2024-01-02 09:00), dynamic(['c']),
  'east', 'pen', 1, datetime(2024-01-03 10:00), dynamic([]),
  'west', 'ink', long(null), datetime(2024-01-03 11:00), dynamic(null)];
`;

describe('summarize', () => {
  it('puts by-columns first and names aggregates as the analyser does (count_, set_X, ...)', () => {
    const result = run(`${sales} Sales | summarize count(), make_set(Product), sum(Amount) by Region`);
    expect(result.columns).toEqual([
      { name: 'Region', type: 'string' },
      { name: 'count_', type: 'long' },
      { name: 'set_Product', type: 'dynamic' },
      { name: 'sum_Amount', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      ['east', 3, ['pen', 'ink'], 16],
      ['west', 2, ['pen', 'ink'], 7],
    ]);
  });

  it('computes count, countif, dcount, min, max, sum and avg, ignoring nulls', () => {
    const [row] = records(
      run(
        `${sales} Sales | summarize n=count(), big=countif(Amount > 5), products=dcount(Product), lo=min(Amount), hi=max(At), total=sum(Amount), mean=avg(Amount)`,
      ),
    );
    expect(row).toEqual({ n: 5, big: 2, products: 2, lo: 1, hi: '2024-01-03T11:00:00.0000000Z', total: 23, mean: 23 / 4 });
  });

  it('applies the conditional forms sumif, dcountif, make_set_if and maxif', () => {
    const [row] = records(
      run(
        `${sales} Sales | summarize s = sumif(Amount, Region == 'east'), d = dcountif(Product, Amount > 5), m = make_set_if(Product, Region == 'west'), x = maxif(Amount, Product == 'ink')`,
      ),
    );
    expect(row).toEqual({ s: 16, d: 1, m: ['pen', 'ink'], x: 5 });
  });

  it('caps make_set at its optional size and keeps duplicates in make_list', () => {
    const [row] = records(run(`${sales} Sales | summarize s = make_set(Region, 1), l = make_list(Product)`));
    expect(row.s).toHaveLength(1);
    expect(row.l).toEqual(['pen', 'ink', 'pen', 'pen', 'ink']);
  });

  it('unions array elements in make_set (documented "set from array column")', () => {
    const kql =
      "datatable (Val: int, Arr1: dynamic)[1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])] | summarize Val_set=make_set(Arr1)";
    expect(new Set(column(run(kql), 'Val_set')[0] as string[])).toEqual(new Set(['A1', 'A2', 'A3', 'C1', 'C2']));
  });

  it('returns the whole row of the extreme value with arg_max and arg_min', () => {
    const latest = run(`${sales} Sales | summarize arg_max(At, *) by Region`);
    expect(latest.columns.map((c) => c.name)).toEqual(['Region', 'At', 'Product', 'Amount', 'Tags']);
    expect(records(latest)).toEqual([
      { Region: 'east', At: '2024-01-03T10:00:00.0000000Z', Product: 'pen', Amount: 1, Tags: [] },
      { Region: 'west', At: '2024-01-03T11:00:00.0000000Z', Product: 'ink', Amount: null, Tags: null },
    ]);
    const cheapest = run(`${sales} Sales | summarize arg_min(Amount, Product) by Region`);
    expect(records(cheapest)).toEqual([
      { Region: 'east', Amount: 1, Product: 'pen' },
      { Region: 'west', Amount: 7, Product: 'pen' },
    ]);
  });

  it('takes one value per group with take_any', () => {
    const result = run(`${sales} Sales | summarize take_any(Product) by Region`);
    expect(column(result, 'Product').every((p) => p === 'pen' || p === 'ink')).toBe(true);
    expect(result.rows).toHaveLength(2);
  });

  it('groups by bin() of a datetime and of a number', () => {
    const byDay = run(`${sales} Sales | summarize n = count() by Day = bin(At, 1d)`);
    expect(records(byDay)).toEqual([
      { Day: '2024-01-01T00:00:00.0000000Z', n: 2 },
      { Day: '2024-01-02T00:00:00.0000000Z', n: 1 },
      { Day: '2024-01-03T00:00:00.0000000Z', n: 2 },
    ]);
    expect(column(run(`${sales} Sales | summarize count() by bin(Amount, 5)`), 'Amount')).toEqual([10, 5, 0, null]);
  });

  it('returns no rows for an empty input grouped by a key', () => {
    expect(run(`${sales} Sales | where Region == 'north' | summarize count() by Region`).rows).toEqual([]);
  });

  it('returns one row of empty aggregates for an empty input without by', () => {
    const result = run(`${sales} Sales | where Region == 'north' | summarize count(), make_set(Product), max(Amount), sum(Amount)`);
    expect(result.rows).toEqual([[0, [], null, 0]]);
  });

  it('returns count() as long', () => {
    expect(run(`${sales} Sales | summarize count()`).columns).toEqual([{ name: 'count_', type: 'long' }]);
  });
});
