import { dataWarningsFor } from '../../src/data/data-warnings';
import { KqlDatabase, KqlEngine, warmUpKql } from '../../src/kql';
import { column, records, run, NOW, type Rows } from './helpers';

beforeAll(warmUpKql);

// Small stand-ins for the documentation's ContosoSales tables (search operator page, Examples).
const CONTOSO: Rows = {
  Customers: [
    { FirstName: 'Mason', LastName: 'Green', CityName: 'Ballard', CustomerKey: 16549 },
    { FirstName: 'Aaron', LastName: 'Sharma', CityName: 'Bellingham', CustomerKey: 802 },
    { FirstName: 'Riley', LastName: 'Hughes', CityName: 'Burbank', CustomerKey: 18285 },
    { FirstName: 'Greenwood', LastName: 'Smith', CityName: 'Greenville', CustomerKey: 1 },
  ],
  Products: [
    { ProductName: 'Contoso 8GB Clock & Radio MP3 Player X850 Green', ColorName: 'Green', ClassName: 'Deluxe', Manufacturer: 'Contoso, Ltd' },
    { ProductName: 'Proseware Duplex Scanner M200 Green', ColorName: 'Green', ClassName: 'Regular', Manufacturer: 'Proseware, Inc.' },
    { ProductName: 'Contoso 16GB New Generation MP5 Player M1650 blue', ColorName: 'blue', ClassName: 'Regular', Manufacturer: 'Contoso, Ltd' },
    { ProductName: 'Litware 120mm Blue LED Case Fan E901 Blue', ColorName: 'Blue', ClassName: 'Economy', Manufacturer: 'Litware, Inc.' },
  ],
  SalesTable: [
    { DateKey: '2021-12-13T00:00:00Z', Buyer: 'Hughes', SalesAmount: 446.4715 },
    { DateKey: '2008-01-01T00:00:00Z', Buyer: 'Hughes', SalesAmount: 10 },
  ],
};

const tableOf = (result: ReturnType<typeof run>): unknown[] => column(result, '$table');

describe('search (search operator page)', () => {
  it('"Global term search": search "Green" finds the term in every table, with a $table column first', () => {
    const result = run('search "Green"', CONTOSO);
    expect(result.columns[0]).toEqual({ name: '$table', type: 'string' });
    expect(tableOf(result)).toEqual(['Customers', 'Products', 'Products']);
    // a term is a whole term: Greenwood / Greenville do not have "Green"
    expect(column(result, 'LastName')).toEqual(['Green', '', '']);
  });

  it('"Conditional global term search": search "Green" and ("Deluxe" or "Proseware")', () => {
    const result = run('search "Green" and ("Deluxe" or "Proseware") | project $table, ProductName', CONTOSO);
    expect(records(result)).toEqual([
      { $table: 'Products', ProductName: 'Contoso 8GB Clock & Radio MP3 Player X850 Green' },
      { $table: 'Products', ProductName: 'Proseware Duplex Scanner M200 Green' },
    ]);
  });

  it('"Search a specific table": search in (Products) "Green" has only that table\'s columns', () => {
    const result = run('search in (Products) "Green"', CONTOSO);
    expect(result.columns.map((c) => c.name)).toEqual(['$table', 'ProductName', 'ColorName', 'ClassName', 'Manufacturer']);
    expect(result.rows).toHaveLength(2);
  });

  it('"Case-sensitive search": kind=case_sensitive "blue" skips Blue', () => {
    const result = run('search kind=case_sensitive "blue" | project $table, ProductName', CONTOSO);
    expect(column(result, 'ProductName')).toEqual(['Contoso 16GB New Generation MP5 Player M1650 blue']);
    const insensitive = run('search kind=case_insensitive "blue"', CONTOSO);
    expect(insensitive.rows).toHaveLength(2);
  });

  it('"Search specific columns": search FirstName:"Aaron" or LastName:"Hughes"', () => {
    const result = run('search FirstName:"Aaron" or LastName:"Hughes" | project $table, FirstName, LastName', CONTOSO);
    expect(records(result)).toEqual([
      { $table: 'Customers', FirstName: 'Aaron', LastName: 'Sharma' },
      { $table: 'Customers', FirstName: 'Riley', LastName: 'Hughes' },
    ]);
  });

  it('"Limit search by timestamp": search "Hughes" and DateKey > datetime(2009-01-01) (other tables read DateKey as null)', () => {
    const result = run("search \"Hughes\" and DateKey > datetime('2009-01-01') | project $table, DateKey, SalesAmount", CONTOSO);
    expect(records(result)).toEqual([{ $table: 'SalesTable', DateKey: '2021-12-13T00:00:00.0000000Z', SalesAmount: 446.4715 }]);
  });

  describe('search predicate syntax examples (the page\'s table, with their where equivalents)', () => {
    const T: Rows = {
      T1: [
        { col: 'an err here', other: 'x', A: 5 },
        { col: 'errors', other: 'y', A: 1 },
        { col: 'ok', other: 'fooerr', A: 7 },
        { col: 'err', other: 'z', A: 2 },
      ],
      T2: [{ name: 'Lab12PC', A: 3 }, { name: 'My-Lab-1-PC', A: 4 }, { name: 'MyLab-PC', A: 4 }, { name: 'LabPCx', A: 9 }],
      A1: [{ note: 'err' }],
      B1: [{ note: 'err' }],
    };
    const count = (kql: string): number => run(`${kql} | count`, T).rows[0][0] as number;

    it.each([
      ['1: search "err" is where * has "err" (over every table: T1 twice, A1, B1)', 'search "err"', 4],
      ['2: search in (T1,T2,A*) "err" is union T1,T2,A* | where * has "err"', 'search in (T1,T2,A*) "err"', 3],
      ['3: search col:"err" is where col has "err"', 'search in (T1) col:"err"', 2],
      ['4: search col=="err" is where col=="err"', 'search in (T1) col=="err"', 1],
      ['5: search "err*" is where * hasprefix "err"', 'search in (T1) "err*"', 3],
      ['6: search "*err" is where * hassuffix "err"', 'search in (T1) "*err"', 3],
      ['7: search "*err*" is where * contains "err"', 'search in (T1) "*err*"', 4],
      ['8: search "Lab*PC" is where * matches regex @"\\bLab.*PC\\b"', 'search in (T2) "Lab*PC"', 2],
      ['9: search * is where 0==0', 'search in (T1, T2) *', 8],
      ['10: search col matches regex "..." is where col matches regex "..."', 'search in (T1) col matches regex "^err"', 2],
      ['12: search "abc" and ("def" or "hij")', 'search in (T1) "an" and ("here" or "nothing")', 1],
      ['13: search "err" or (A>a and A<b)', 'search in (T1) "err" or (A > 6 and A < 8)', 3],
    ])('%s', (_name, kql, expected) => {
      expect(count(kql)).toBe(expected);
    });

    it('2: the wildcard A* reads every loaded table whose name starts with A', () => {
      expect(tableOf(run('search in (A*) "err"', T))).toEqual(['A1']);
    });

    it('searches a piped input, naming its rows by the table', () => {
      expect(tableOf(run('T1 | search "errors"', T))).toEqual(['T1']);
    });

    it('reads numbers in their text form (the page: all columns are searched)', () => {
      expect(tableOf(run('search in (T1, T2) "9"', T))).toEqual(['T2']);
    });
  });

  it('kind=case_sensitive makes the string operators in the predicate case-sensitive too ("all string scalar operators, such as has")', () => {
    expect(run('search kind=case_sensitive in (Products) ColorName has "BLUE"', CONTOSO).rows).toHaveLength(0);
    expect(run('search in (Products) ColorName has "BLUE"', CONTOSO).rows).toHaveLength(2);
  });

  it('feeds the rest of the pipeline, as in the published Rare_Outgoing_IPv4 hunt', () => {
    const events: Rows = {
      DeviceNetworkEvents: [
        { Timestamp: '2024-05-03T00:00:00Z', Protocol: 'Tcp', ActionType: 'ConnectionSuccess', RemoteIPType: 'Public', RemoteIP: '8.8.8.8', DeviceName: 'a' },
        { Timestamp: '2024-05-03T00:00:00Z', Protocol: 'Udp', ActionType: 'ConnectionSuccess', RemoteIPType: 'Public', RemoteIP: '8.8.4.4', DeviceName: 'b' },
        { Timestamp: '2024-05-03T00:00:00Z', Protocol: 'Tcp', ActionType: 'ConnectionFailed', RemoteIPType: 'Public', RemoteIP: '1.1.1.1', DeviceName: 'c' },
      ],
    };
    const result = run('search in (DeviceNetworkEvents) "tcp" and "connectionsuccess" and "public" | where Timestamp > ago(30d) | project DeviceName, RemoteIP', events);
    expect(records(result)).toEqual([{ DeviceName: 'a', RemoteIP: '8.8.8.8' }]);
  });

  it('is checked before the query runs: an unsupported construct after it is still refused on no rows', () => {
    expect(() => run('search in (T1) "nothing-matches" | evaluate basket()', { T1: [{ col: 'x' }] })).toThrow(/basket/);
  });

  it('with no `in`, reports every loaded table it read, so an empty or damaged table is never silently skipped', () => {
    const db = KqlDatabase.fromRows({ Customers: CONTOSO.Customers, Empty: [] });
    const { tables } = new KqlEngine(db).queryWithTables('search "Green"', { now: NOW });
    expect(tables).toEqual(['Customers', 'Empty']);
    const wildcard = new KqlEngine(db).queryWithTables('search in (Cust*) "Green"', { now: NOW });
    expect(wildcard.tables).toEqual(['Customers']);
  });

  it('so the caller warns about a table with dropped lines and an empty one, as it does for union and where', () => {
    const db = KqlDatabase.fromRows({ Customers: CONTOSO.Customers, Empty: [] }, { source: 'fixtures', tableIssues: new Map([['Customers', ['2 lines are not JSON objects']]]) });
    const { tables } = new KqlEngine(db).queryWithTables('find "Green"', { now: NOW });
    expect(dataWarningsFor(db, tables).map((w) => w.message)).toEqual(['Customers: 2 lines are not JSON objects.', 'Could not look: table Empty has no data in fixtures.']);
  });

  it('stops at the query\'s row limit like union does', () => {
    const db = KqlDatabase.fromRows({ Customers: CONTOSO.Customers });
    expect(() => new KqlEngine(db).query('search *', { now: NOW, limits: { maxRows: 2 } })).toThrow(/search at line 1, column 1 produced more than 2 rows/);
  });
});

describe('where * has (the search page defines search "err" as where * has "err")', () => {
  const rows: Rows = { T: [{ a: 'an err here', n: 443 }, { a: 'fine', n: 80 }] };

  it('is true when any column has the term, numbers read in their text form', () => {
    expect(records(run('T | where * has "err"', rows))).toEqual([{ a: 'an err here', n: 443 }]);
    expect(column(run('T | where * has "80"', rows), 'a')).toEqual(['fine']);
    expect(column(run('T | extend hit = * contains "ERR"', rows), 'hit')).toEqual([true, false]);
  });

  it('refuses the undocumented negated form (* !has) before any row is read', () => {
    expect(() => run('T | where a == "none" | where * !has "err"', rows)).toThrow(/NotHasExpression over \* .*line 1, column 31/);
  });
});

// The find operator page's EventsTable1 and EventsTable2.
const EVENTS: Rows = {
  EventsTable1: [
    { Session_Id: 'acbd207d-51aa-4df7-bfa7-be70eb68f04e', Level: 'Information', EventText: 'Some Text1', Version: 'v1.0.0' },
    { Session_Id: 'acbd207d-51aa-4df7-bfa7-be70eb68f04e', Level: 'Error', EventText: 'Some Text2', Version: 'v1.0.0' },
    { Session_Id: '28b8e46e-3c31-43cf-83cb-48921c3986fc', Level: 'Error', EventText: 'Some Text3', Version: 'v1.0.1' },
    { Session_Id: '8f057b11-3281-45c3-a856-05ebb18a3c59', Level: 'Information', EventText: 'Some Text4', Version: 'v1.1.0' },
  ],
  EventsTable2: [
    { Session_Id: 'f7d5f95f-f580-4ea6-830b-5776c8d64fdd', Level: 'Information', EventText: 'Some Other Text1', EventName: 'Event1' },
    { Session_Id: 'acbd207d-51aa-4df7-bfa7-be70eb68f04e', Level: 'Information', EventText: 'Some Other Text2', EventName: 'Event2' },
    { Session_Id: 'acbd207d-51aa-4df7-bfa7-be70eb68f04e', Level: 'Error', EventText: 'Some Other Text3', EventName: 'Event3' },
    { Session_Id: '15eaeab5-8576-4b58-8fc6-478f75d8fee4', Level: 'Error', EventText: 'Some Other Text4', EventName: 'Event4' },
  ],
};
const SESSION = 'acbd207d-51aa-4df7-bfa7-be70eb68f04e';

describe('find (find operator page, "Examples of find output results")', () => {
  it('"Search in common columns, project common and uncommon columns, and pack the rest"', () => {
    // The page writes the bag as pack_all(); the official parser (12.4.1) rejects that there (KS117)
    // and accepts pack(*), the same PackExpression, so the test writes that.
    const result = run(
      `find in (EventsTable1, EventsTable2) where Session_Id == '${SESSION}' and Level == 'Error' project EventText, Version, EventName, pack(*)`,
      EVENTS,
    );
    expect(records(result)).toEqual([
      { source_: 'EventsTable1', EventText: 'Some Text2', Version: 'v1.0.0', EventName: '', pack_: { Session_Id: SESSION, Level: 'Error' } },
      { source_: 'EventsTable2', EventText: 'Some Other Text3', Version: '', EventName: 'Event3', pack_: { Session_Id: SESSION, Level: 'Error' } },
    ]);
  });

  it('"Search in common and uncommon columns": each table is filtered by the part it has', () => {
    const result = run("find Version == 'v1.0.0' or EventName == 'Event1' project Session_Id, EventText, Version, EventName", EVENTS);
    expect(records(result)).toEqual([
      { source_: 'EventsTable1', Session_Id: SESSION, EventText: 'Some Text1', Version: 'v1.0.0', EventName: '' },
      { source_: 'EventsTable1', Session_Id: SESSION, EventText: 'Some Text2', Version: 'v1.0.0', EventName: '' },
      { source_: 'EventsTable2', Session_Id: 'f7d5f95f-f580-4ea6-830b-5776c8d64fdd', EventText: 'Some Other Text1', Version: '', EventName: 'Event1' },
    ]);
  });

  it('"Use abbreviated notation to search across all tables": project-smart keeps the common columns and packs the rest', () => {
    const result = run(`find Session_Id == '${SESSION}'`, EVENTS);
    expect(result.columns.map((c) => c.name)).toEqual(['source_', 'Session_Id', 'Level', 'EventText', 'pack_']);
    expect(records(result)).toEqual([
      { source_: 'EventsTable1', Session_Id: SESSION, Level: 'Information', EventText: 'Some Text1', pack_: { Version: 'v1.0.0' } },
      { source_: 'EventsTable1', Session_Id: SESSION, Level: 'Error', EventText: 'Some Text2', pack_: { Version: 'v1.0.0' } },
      { source_: 'EventsTable2', Session_Id: SESSION, Level: 'Information', EventText: 'Some Other Text2', pack_: { EventName: 'Event2' } },
      { source_: 'EventsTable2', Session_Id: SESSION, Level: 'Error', EventText: 'Some Other Text3', pack_: { EventName: 'Event3' } },
    ]);
  });

  it('"Return the results from each row as a property bag"', () => {
    const result = run(`find Session_Id == '${SESSION}' project pack(*) | take 1`, EVENTS);
    expect(records(result)).toEqual([{ source_: 'EventsTable1', pack_: { Session_Id: SESSION, Level: 'Information', EventText: 'Some Text1', Version: 'v1.0.0' } }]);
  });

  it('leaves out the tables with none of the predicate\'s columns, and names the source column with withsource=', () => {
    const result = run("find withsource=Src in (EventsTable1, EventsTable2) where EventName == 'Event4' project-smart", EVENTS);
    expect(records(result)).toEqual([{ Src: 'EventsTable2', Session_Id: '15eaeab5-8576-4b58-8fc6-478f75d8fee4', Level: 'Error', EventText: 'Some Other Text4', EventName: 'Event4' }]);
  });

  it('"Term lookup across all tables": find "Text3" and find in (E*) where * has "Text3"', () => {
    expect(column(run('find "Text3"', EVENTS), 'source_')).toEqual(['EventsTable1', 'EventsTable2']);
    expect(column(run('find in (EventsTable2*) where * has "Text3"', EVENTS), 'source_')).toEqual(['EventsTable2']);
  });

  it('casts a projected column to the type given with it (Col:type)', () => {
    const result = run("find in (EventsTable1) where Level == 'Error' project Version:string, Level | take 1", EVENTS);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['source_:string', 'Version:string', 'Level:string']);
  });
});
