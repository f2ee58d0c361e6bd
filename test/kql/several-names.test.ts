import { KqlUnsupportedError, checkQuery, warmUpKql } from '../../src/kql';
import { run } from './helpers';

beforeAll(warmUpKql);

describe('(a, b) = ... outside summarize', () => {
  it('is not KQL unless the right side returns several values: the parser says so (KS149)', () => {
    expect(checkQuery('print x = 1 | extend (a, b) = (1, 2)').map((d) => d.code)).toContain('KS149');
  });

  it('with a function that returns several values, is refused before any row is read, saying why', () => {
    const tables = { T: [{ Timestamp: '2024-01-01T00:00:00Z', y: 1 }] };
    let error: unknown;
    try {
      run('T | where Timestamp > datetime(2030-01-01) | summarize s = make_list(y) | extend (rsquare, slope) = series_fit_line(s)', tables);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KqlUnsupportedError);
    expect((error as Error).message).toMatch(/several names at once outside summarize .*only for functions that return several values, such as series_fit_line\(\)/);
  });
});
