import { warmUpKql } from '../../src/kql';
import { column, records, run, scalar } from './helpers';

beforeAll(warmUpKql);

describe('let, datatable and print', () => {
  it('binds scalar lets, including ones computed from now()', () => {
    const result = run('let n = 10; let place = "Dallas"; let cutoff = ago(1d); print n, place, cutoff');
    expect(result.rows).toEqual([[10, 'Dallas', '2024-05-03T00:00:00.0000000Z']]);
  });

  it('binds tabular lets and reuses them', () => {
    const kql = 'let Small = range x from 1 to 10 step 1 | where x < 4; Small | union Small | count';
    expect(scalar(kql)).toBe(6);
  });

  it('reads datatable values row by row with their declared types', () => {
    const result = run(
      "datatable(name:string, n:long, at:datetime, tags:dynamic, ok:bool)['a', 1, datetime(2020-01-01 10:00:00.1234567), dynamic(['x']), true, 'b', long(null), datetime(null), dynamic(null), bool(null)]",
    );
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:string', 'n:long', 'at:datetime', 'tags:dynamic', 'ok:bool']);
    expect(result.rows).toEqual([
      ['a', 1, '2020-01-01T10:00:00.1234567Z', ['x'], true],
      ['b', null, null, null, null],
    ]);
  });

  it('prints named and unnamed scalars (documented print banner=strcat(...))', () => {
    const result = run('print banner=strcat("Hello", ", ", "World!"), 1 + 1');
    expect(result.columns.map((c) => c.name)).toEqual(['banner', 'print_1']);
    expect(result.rows).toEqual([['Hello, World!', 2]]);
  });

  it('generates rows with range', () => {
    expect(column(run('range x from 1 to 9 step 4'), 'x')).toEqual([1, 5, 9]);
  });

  it('uses a table name that has no data as an empty table of its schema', () => {
    const result = run('DeviceNetworkEvents | project RemoteIP, RemotePort');
    expect(result).toEqual({ columns: [{ name: 'RemoteIP', type: 'string' }, { name: 'RemotePort', type: 'int' }], rows: [] });
  });
});

describe('now()', () => {
  it('uses one instant for the whole query and offsets it with now(offset) and ago()', () => {
    const [row] = records(run('print a = now(), b = now(-2d), c = ago(2d), zero = now(-1d) - ago(1d)'));
    expect(row).toEqual({
      a: '2024-05-04T00:00:00.0000000Z',
      b: '2024-05-02T00:00:00.0000000Z',
      c: '2024-05-02T00:00:00.0000000Z',
      zero: '00:00:00',
    });
  });
});

describe('scalar subqueries and reuse', () => {
  it('turns a one-cell table into a scalar with toscalar()', () => {
    expect(scalar('let total = toscalar(range x from 1 to 4 step 1 | summarize sum(x)); print total * 2')).toBe(20);
  });

  it('evaluates materialize() like its argument', () => {
    expect(scalar('let T = materialize(range x from 1 to 3 step 1); T | summarize max(x)')).toBe(3);
  });

  it('names each row source with union withsource=', () => {
    const result = run('union withsource=Src (print a = 1), (print a = 2)');
    expect(result.columns.map((c) => c.name)).toEqual(['Src', 'a']);
    expect(column(result, 'a')).toEqual([1, 2]);
  });
});
