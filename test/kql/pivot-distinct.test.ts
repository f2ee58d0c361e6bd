import { warmUpKql } from '../../src/kql';
import { column, records, run, type Rows } from './helpers';

beforeAll(warmUpKql);

// A slice of the documentation's StormEvents (pivot plugin page).
const STORMS: Rows = {
  StormEvents: [
    { State: 'ALABAMA', EventType: 'Thunderstorm Wind', DeathsDirect: 0, Source: 'Trained Spotter' },
    { State: 'ALABAMA', EventType: 'Thunderstorm Wind', DeathsDirect: 0, Source: 'Public' },
    { State: 'ALASKA', EventType: 'High Wind', DeathsDirect: 0, Source: 'Public' },
    { State: 'ALABAMA', EventType: 'Strong Wind', DeathsDirect: 0, Source: 'Public' },
    { State: 'ALASKA', EventType: 'Thunderstorm Wind', DeathsDirect: 0, Source: 'Public' },
    { State: 'ARKANSAS', EventType: 'Heat', DeathsDirect: 3, Source: 'Newspaper' },
    { State: 'ARIZONA', EventType: 'Flash Flood', DeathsDirect: 2, Source: 'Trained Spotter' },
    { State: 'ARIZONA', EventType: 'Flash Flood', DeathsDirect: 3, Source: 'Broadcast Media' },
    { State: 'ARIZONA', EventType: 'Flash Flood', DeathsDirect: 1, Source: 'Newspaper' },
    { State: 'ARIZONA', EventType: 'Lightning', DeathsDirect: 1, Source: 'Newspaper' },
    { State: 'ARKANSAS', EventType: 'Strong Wind', DeathsDirect: 1, Source: 'Law Enforcement' },
    { State: 'ARKANSAS', EventType: 'Lightning', DeathsDirect: 0, Source: 'Newspaper' },
  ],
};

describe('evaluate pivot (pivot plugin page)', () => {
  it('"Pivot by a column": one column per distinct value, count() by default, 0 where a combination has no rows', () => {
    const result = run(
      `StormEvents
      | project State, EventType
      | where State startswith "AL"
      | where EventType has "Wind"
      | evaluate pivot(State)`,
      STORMS,
    );
    expect(result.columns).toEqual([
      { name: 'EventType', type: 'string' },
      { name: 'ALABAMA', type: 'long' },
      { name: 'ALASKA', type: 'long' },
    ]);
    expect(records(result)).toEqual([
      { EventType: 'Thunderstorm Wind', ALABAMA: 2, ALASKA: 1 },
      { EventType: 'High Wind', ALABAMA: 0, ALASKA: 1 },
      { EventType: 'Strong Wind', ALABAMA: 1, ALASKA: 0 },
    ]);
  });

  it('"Pivot by a column with aggregation function": sum(DeathsDirect), and the same with EventType named', () => {
    const query = (extra: string): Array<Record<string, unknown>> =>
      records(
        run(
          `StormEvents
          | where State startswith "AR"
          | project State, EventType, DeathsDirect
          | where DeathsDirect > 0
          | evaluate pivot(State, sum(DeathsDirect)${extra})`,
          STORMS,
        ),
      );
    const expected = [
      { EventType: 'Heat', ARKANSAS: 3, ARIZONA: 0 },
      { EventType: 'Flash Flood', ARKANSAS: 0, ARIZONA: 6 },
      { EventType: 'Lightning', ARKANSAS: 0, ARIZONA: 1 },
      { EventType: 'Strong Wind', ARKANSAS: 1, ARIZONA: 0 },
    ];
    expect(query('')).toEqual(expected);
    expect(query(', EventType')).toEqual(expected); // "Result is identical to previous example."
  });

  it('"Specify the pivoted column, aggregation function, and multiple additional columns"', () => {
    const result = run(
      `StormEvents
      | where State startswith "AR"
      | where DeathsDirect > 0
      | evaluate pivot(State, sum(DeathsDirect), EventType, Source)`,
      STORMS,
    );
    expect(records(result)).toEqual([
      { EventType: 'Heat', Source: 'Newspaper', ARKANSAS: 3, ARIZONA: 0 },
      { EventType: 'Flash Flood', Source: 'Trained Spotter', ARKANSAS: 0, ARIZONA: 2 },
      { EventType: 'Flash Flood', Source: 'Broadcast Media', ARKANSAS: 0, ARIZONA: 3 },
      { EventType: 'Flash Flood', Source: 'Newspaper', ARKANSAS: 0, ARIZONA: 1 },
      { EventType: 'Lightning', Source: 'Newspaper', ARKANSAS: 0, ARIZONA: 1 },
      { EventType: 'Strong Wind', Source: 'Law Enforcement', ARKANSAS: 1, ARIZONA: 0 },
    ]);
  });

  it('"Pivot with a query-defined output schema": the declared columns; values the schema does not name are dropped', () => {
    const result = run(
      `StormEvents
      | project State, EventType
      | where EventType has "Wind"
      | evaluate pivot(State): (EventType:string, ALABAMA:long, ALASKA:long)`,
      STORMS,
    );
    expect(result.columns.map((c) => c.name)).toEqual(['EventType', 'ALABAMA', 'ALASKA']);
    expect(records(result)).toEqual([
      { EventType: 'Thunderstorm Wind', ALABAMA: 2, ALASKA: 1 },
      { EventType: 'High Wind', ALABAMA: 0, ALASKA: 1 },
      { EventType: 'Strong Wind', ALABAMA: 1, ALASKA: 0 },
    ]);
  });

  it('fails naming a declared column the data does not produce ("An error is raised if the run-time schema doesn\'t match")', () => {
    expect(() => run('StormEvents | project State, EventType | evaluate pivot(State): (EventType:string, TEXAS:long)', STORMS)).toThrow(/TEXAS/);
  });

  it('lets later operators read the columns only the data names (the parser knows pivot\'s output is open)', () => {
    const result = run(
      `StormEvents
      | project State, EventType
      | evaluate pivot(State)
      | where ALABAMA > 0
      | extend Total = ALABAMA + ALASKA
      | project EventType, Total`,
      STORMS,
    );
    expect(records(result)).toEqual([
      { EventType: 'Thunderstorm Wind', Total: 3 },
      { EventType: 'Strong Wind', Total: 1 },
    ]);
  });

  it('does the same after bag_unpack, whose columns also come from the data', () => {
    const result = run(`datatable(d:dynamic)[dynamic({"Name":"John","Age":20}), dynamic({"Name":"Dave","Age":40})]
      | evaluate bag_unpack(d)
      | extend Older = Age + 1
      | project Name, Older`);
    expect(records(result)).toEqual([
      { Name: 'John', Older: 21 },
      { Name: 'Dave', Older: 41 },
    ]);
  });

  it('takes the other documented aggregations (here take_any and dcount)', () => {
    const any = run('StormEvents | where State == "ALASKA" | project State, EventType, Source | evaluate pivot(State, take_any(Source), EventType)', STORMS);
    expect(column(any, 'ALASKA')).toEqual(['Public', 'Public']);
    const distinctSources = run('StormEvents | project State, Source | evaluate pivot(State, dcount(Source))', STORMS);
    expect(records(distinctSources)).toEqual([{ ALABAMA: 2, ALASKA: 1, ARKANSAS: 2, ARIZONA: 3 }]);
  });
});

describe('distinct over expressions', () => {
  // The distinct page documents column names only; Kusto takes expressions as `summarize by` does, and
  // published hunts rely on it (`distinct tolower(AccountUpn)`, `distinct Action = ActionType1`).
  const rows: Rows = {
    T: [
      { Upn: 'Alice@Contoso.com', Action: 'Block' },
      { Upn: 'alice@contoso.com', Action: 'Block' },
      { Upn: 'bob@contoso.com', Action: 'Allow' },
    ],
  };

  it('distinct tolower(X) keeps one row per computed value, named Column1 as the analyser names it', () => {
    const result = run('T | distinct tolower(Upn)', rows);
    expect(result.columns).toEqual([{ name: 'Column1', type: 'string' }]);
    expect(column(result, 'Column1')).toEqual(['alice@contoso.com', 'bob@contoso.com']);
  });

  it('distinct Name = Column renames, alongside plain columns', () => {
    const result = run('T | distinct Verdict = Action, User = tolower(Upn) | order by User asc', rows);
    expect(records(result)).toEqual([
      { Verdict: 'Block', User: 'alice@contoso.com' },
      { Verdict: 'Allow', User: 'bob@contoso.com' },
    ]);
  });

  it('the documented form (distinct State, EventType) is unchanged', () => {
    expect(run('StormEvents | where DeathsDirect > 2 | distinct State, EventType', STORMS).rows).toEqual([['ARKANSAS', 'Heat'], ['ARIZONA', 'Flash Flood']]);
  });
});
