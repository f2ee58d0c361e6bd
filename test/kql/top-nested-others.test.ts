import { warmUpKql } from '../../src/kql';
import { run } from './helpers';

beforeAll(warmUpKql);

/** A small StormEvents: TEXAS sums 19, KANSAS 13, OHIO 7 (the shape of the documentation's example). */
const storms = `datatable(State:string, Source:string, EndLocation:string, BeginLat:real)[
  "TEXAS", "Public", "AMARILLO", 10, "TEXAS", "Public", "CLAUDE", 4, "TEXAS", "Law Enforcement", "PERRYTON", 5,
  "KANSAS", "Public", "BUCKLIN", 8, "KANSAS", "Trained Spotter", "SHARON SPGS", 3, "KANSAS", "Trained Spotter", "ATWOOD", 2,
  "OHIO", "Public", "DAYTON", 6, "OHIO", "Law Enforcement", "AKRON", 1]`;

describe('top-nested ... with others (documented example)', () => {
  it('adds a row aggregating what is outside each level\'s top N: the constant and the aggregate where the level says with others, null (an empty string key) where it does not', () => {
    const result = run(`${storms}
      | top-nested 2 of State with others = "All Other States" by sum(BeginLat),
        top-nested 1 of Source by sum(BeginLat),
        top-nested 1 of EndLocation with others = "All Other End Locations" by sum(BeginLat)`);
    expect(result.columns.map((c) => c.name)).toEqual(['State', 'aggregated_State', 'Source', 'aggregated_Source', 'EndLocation', 'aggregated_EndLocation']);
    // As on the documentation's page: the top paths, then "others" of the deepest level, then of the levels above.
    expect(result.rows).toEqual([
      ['TEXAS', 19, 'Public', 14, 'AMARILLO', 10],
      ['KANSAS', 13, 'Public', 8, 'BUCKLIN', 8],
      ['TEXAS', 19, 'Public', 14, 'All Other End Locations', 4],
      ['TEXAS', 19, '', null, 'All Other End Locations', 5],
      ['KANSAS', 13, '', null, 'All Other End Locations', 5],
      ['All Other States', 7, '', null, 'All Other End Locations', 7],
    ]);
  });

  it('the "others" row of a level equals summarizing the rows outside its top values (the page\'s check query)', () => {
    const others = run(`${storms} | top-nested 2 of State with others = "All Other States" by sum(BeginLat) | where State == "All Other States"`);
    const check = run(`${storms} | where State !in ('TEXAS', 'KANSAS') | summarize sum(BeginLat)`);
    expect(others.rows).toEqual([['All Other States', check.rows[0][0]]]);
  });

  it('adds no row when every value is already in the top N (where the page is silent: nothing is left to aggregate)', () => {
    const result = run(`${storms} | top-nested 5 of State with others = "Rest" by sum(BeginLat)`);
    expect(result.rows).toEqual([
      ['TEXAS', 19],
      ['KANSAS', 13],
      ['OHIO', 7],
    ]);
  });

  it('without with others there are no such rows (unchanged)', () => {
    const result = run(`${storms} | top-nested 2 of State by sum(BeginLat), top-nested 1 of Source by sum(BeginLat)`);
    expect(result.rows).toEqual([
      ['TEXAS', 19, 'Public', 14],
      ['KANSAS', 13, 'Public', 8],
    ]);
  });
});
