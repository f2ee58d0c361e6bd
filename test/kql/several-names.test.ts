import { KqlUnsupportedError, checkQuery, warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

describe('(a, b) = ... outside summarize', () => {
  it('is not KQL unless the right side returns several values: the parser says so (KS149)', () => {
    expect(checkQuery('print x = 1 | extend (a, b) = (1, 2)').map((d) => d.code)).toContain('KS149');
  });

  it('with a series function the engine implements, splits its results into the names given', () => {
    const tables = { T: [1, 2, 3, 4].map((y) => ({ Timestamp: '2024-01-01T00:00:00Z', y })) };
    const result = run('T | summarize s = make_list(y) | extend (rsquare, slope) = series_fit_line(s) | project rsquare, slope', tables);
    expect(records(result)).toEqual([{ rsquare: 1, slope: 1 }]);
  });

  it('with one it does not implement, is refused before any row is read, naming the function', () => {
    const tables = { T: [{ Timestamp: '2024-01-01T00:00:00Z', y: 1 }] };
    expect(() => run('T | where Timestamp > datetime(2030-01-01) | summarize s = make_list(y) | extend (a, b, c, d, e, f, g, h, i, j, k, l) = series_fit_2lines(s)', tables)).toThrow(KqlUnsupportedError);
  });
});
