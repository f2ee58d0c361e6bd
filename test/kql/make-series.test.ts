import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KqlRuntimeError, KqlUnsupportedError, warmUpKql } from '../../src/kql';
import { column, engineOver, NOW, records, run } from './helpers';

beforeAll(warmUpKql);

// The data of the make-series operator page's examples (learn.microsoft.com/kusto/query/make-series-operator).
const DOC_DATA = `let data=datatable(timestamp:datetime, metric: real)
[
  datetime(2016-12-31T06:00), 50,
  datetime(2017-01-01), 4,
  datetime(2017-01-02), 3,
  datetime(2017-01-03), 4,
  datetime(2017-01-03T03:00), 6,
  datetime(2017-01-05), 8,
  datetime(2017-01-05T13:40), 13,
  datetime(2017-01-06), 4,
  datetime(2017-01-07), 3,
  datetime(2017-01-08), 8,
  datetime(2017-01-08T21:00), 8,
  datetime(2017-01-09), 2,
  datetime(2017-01-09T12:00), 11,
  datetime(2017-01-10T05:00), 5,
];
let interval = 1d;
let stime = datetime(2017-01-01);
let etime = datetime(2017-01-10);
`;

const DAYS = ['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((d) => `2017-01-${d}T00:00:00.0000000Z`);

describe('make-series (documented examples)', () => {
  it('averages each day from start to the exclusive end, fills an empty day with 0 and returns the axis last', () => {
    const result = run(`${DOC_DATA} data | make-series avg(metric) on timestamp from stime to etime step interval`);
    expect(result.columns).toEqual([
      { name: 'avg_metric', type: 'dynamic' },
      { name: 'timestamp', type: 'dynamic' },
    ]);
    expect(records(result)).toEqual([{ avg_metric: [4, 3, 5, 0, 10.5, 4, 3, 8, 6.5], timestamp: DAYS }]);
  });

  it('produces no rows when its input is empty', () => {
    const result = run(`${DOC_DATA} data | take 0 | make-series avg(metric) default=1.0 on timestamp from stime to etime step interval | count`);
    expect(column(result, 'Count')).toEqual([0]);
  });

  it('produces one row of default values for an empty input with kind=nonempty', () => {
    const result = run(`${DOC_DATA} data | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp from stime to etime step interval`);
    expect(records(result)).toEqual([{ avg_metric: [1, 1, 1, 1, 1, 1, 1, 1, 1], timestamp: DAYS }]);
  });
});

const EVENTS = {
  Events: [
    { Timestamp: '2024-05-01T01:00:00Z', Device: 'a', Bytes: 10, User: 'u1' },
    { Timestamp: '2024-05-01T02:00:00Z', Device: 'a', Bytes: 30, User: 'u2' },
    { Timestamp: '2024-05-03T00:00:00Z', Device: 'a', Bytes: 5, User: 'u1' },
    { Timestamp: '2024-05-02T12:00:00Z', Device: 'b', Bytes: 7, User: 'u3' },
    { Timestamp: '2024-04-30T23:59:59Z', Device: 'b', Bytes: 1000, User: 'u3' }, // before the axis
    { Timestamp: '2024-05-04T00:00:00Z', Device: 'c', Bytes: 1000, User: 'u4' }, // at the exclusive end
  ],
};
const AXIS = ['2024-05-01T00:00:00.0000000Z', '2024-05-02T00:00:00.0000000Z', '2024-05-03T00:00:00.0000000Z'];

describe('make-series by groups', () => {
  it('builds one row per group with the by column first, each aggregate as an array over the axis, and drops rows outside it', () => {
    const result = run(
      `Events | make-series n=count(), total=sum(Bytes), users=dcount(User), big=countif(Bytes > 8), bigBytes=sumif(Bytes, Bytes > 8),
         low=min(Bytes) default=-1, high=max(Bytes), mean=avg(Bytes)
       on Timestamp from datetime(2024-05-01) to datetime(2024-05-04) step 1d by Device`,
      EVENTS,
    );
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Device:string', 'n:dynamic', 'total:dynamic', 'users:dynamic', 'big:dynamic', 'bigBytes:dynamic',
      'low:dynamic', 'high:dynamic', 'mean:dynamic', 'Timestamp:dynamic',
    ]);
    expect(records(result)).toEqual([
      { Device: 'a', n: [2, 0, 1], total: [40, 0, 5], users: [2, 0, 1], big: [2, 0, 0], bigBytes: [40, 0, 0], low: [10, -1, 5], high: [30, 0, 5], mean: [20, 0, 5], Timestamp: AXIS },
      { Device: 'b', n: [0, 1, 0], total: [0, 7, 0], users: [0, 1, 0], big: [0, 0, 0], bigBytes: [0, 0, 0], low: [-1, 7, -1], high: [0, 7, 0], mean: [0, 7, 0], Timestamp: AXIS },
    ]);
  });

  it('fills absent bins with null under default=double(null), ready for the series_fill_* functions', () => {
    const result = run(
      `Events | where Device == 'a'
       | make-series s=sum(Bytes) default=double(null) on Timestamp from datetime(2024-05-01) to datetime(2024-05-04) step 1d
       | extend filled = series_fill_linear(s)`,
      EVENTS,
    );
    expect(records(result)[0]).toMatchObject({ s: [40, null, 5], filled: [40, 22.5, 5] });
  });

  it('spans, without from and to, the bins from the smallest to the largest value, one axis for every group (our choice where the page says "each series")', () => {
    const result = run('Events | make-series count() on Timestamp step 1d by Device', EVENTS);
    const axis = ['2024-04-30T00:00:00.0000000Z', ...AXIS, '2024-05-04T00:00:00.0000000Z'];
    expect(records(result)).toEqual([
      { Device: 'a', count_: [0, 2, 0, 1, 0], Timestamp: axis },
      { Device: 'b', count_: [1, 0, 1, 0, 0], Timestamp: axis },
      { Device: 'c', count_: [0, 0, 0, 0, 1], Timestamp: axis },
    ]);
  });

  it('takes a stop that is inclusive in the alternate syntax "in range(start, stop, step)"', () => {
    const result = run('Events | make-series count() on Timestamp in range(datetime(2024-05-01), datetime(2024-05-04), 1d)', EVENTS);
    expect(records(result)).toEqual([{ count_: [2, 1, 1, 1], Timestamp: [...AXIS, '2024-05-04T00:00:00.0000000Z'] }]);
  });

  it('works on a numeric axis and a timespan step alike', () => {
    const numbers = run('range x from 0 to 9 step 1 | make-series s=sum(x) on x from 0 to 10 step 5');
    expect(records(numbers)).toEqual([{ s: [10, 35], x: [0, 5] }]);
    const spans = run('range x from 1 to 4 step 1 | extend d = x * 1h | make-series count() on d from 0h to 4h step 2h');
    expect(records(spans)).toEqual([{ count_: [1, 2], d: ['00:00:00', '02:00:00'] }]);
  });

  it('feeds mv-expand, which turns the arrays back into one row per bin', () => {
    const result = run(
      `Events | make-series n=count() on Timestamp from datetime(2024-05-01) to datetime(2024-05-04) step 1d by Device
       | mv-expand n to typeof(long), Timestamp to typeof(datetime) | where n > 0 | project Device, Timestamp, n`,
      EVENTS,
    );
    expect(records(result)).toEqual([
      { Device: 'a', Timestamp: '2024-05-01T00:00:00.0000000Z', n: 2 },
      { Device: 'a', Timestamp: '2024-05-03T00:00:00.0000000Z', n: 1 },
      { Device: 'b', Timestamp: '2024-05-02T00:00:00.0000000Z', n: 1 },
    ]);
  });
});

describe('make-series limits and refusals', () => {
  it('refuses, before reading any row, an aggregate the engine does not compute (stdev), naming it', () => {
    const kql = "Events | where Device == 'none' | make-series stdev(Bytes) on Timestamp step 1d";
    expect(() => run(kql, EVENTS)).toThrow(KqlUnsupportedError);
    expect(() => run(kql, EVENTS)).toThrow(/the aggregate stdev\(\) in make-series/);
  });

  it('refuses an aggregate without a numeric result (make_set), which the page does not allow in make-series', () => {
    expect(() => run("Events | where Device == 'none' | make-series make_set(User) on Timestamp step 1d", EVENTS)).toThrow(/the aggregate make_set\(\) in make-series/);
  });

  it('fails with the documented 2^20 limit rather than build a larger array', () => {
    const kql = 'Events | make-series count() on Timestamp from datetime(2000-01-01) to datetime(2024-05-04) step 1s';
    expect(() => engineOver(EVENTS).query(kql, { now: NOW })).toThrow(KqlRuntimeError);
    expect(() => engineOver(EVENTS).query(kql, { now: NOW })).toThrow(/limit is 1,048,576/);
  });

  it('fails on a step that is not positive', () => {
    expect(() => run('Events | make-series count() on Timestamp from datetime(2024-05-01) to datetime(2024-05-04) step 0d', EVENTS)).toThrow(/step must be greater than zero/);
  });
});

describe('a published hunt with make-series and series_decompose_anomalies (bench/corpus bj-anomalous-ldap-traffic.kql)', () => {
  const hunt = readFileSync(join(__dirname, '..', '..', 'bench', 'corpus', 'queries', 'bj-anomalous-ldap-traffic.kql'), 'utf8');

  /** Hourly LDAP queries from two workstations over the hunt's 29 days: a daily rhythm, and one burst of 40 on ws-1. */
  function ldapRows(): Array<Record<string, unknown>> {
    const rows: Array<Record<string, unknown>> = [];
    const start = Date.parse('2024-04-04T00:00:00Z');
    for (let hour = 0; hour < 29 * 24; hour++) {
      const at = new Date(start + hour * 3600_000 + 60_000).toISOString();
      const business = hour % 24 >= 8 && hour % 24 < 18;
      for (const device of ['ws-1', 'ws-2']) {
        const burst = device === 'ws-1' && at.startsWith('2024-04-20T03');
        const count = burst ? 40 : business ? 3 : 1;
        for (let k = 0; k < count; k++) rows.push({ Timestamp: at, ActionType: 'LDAP query', DeviceName: device, Query: `q${k}` });
      }
    }
    return rows;
  }

  it('finds the hour of the burst on the one workstation that had it, and nothing on the steady one', () => {
    const tables = {
      DeviceInfo: [
        { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'ws-1', DeviceType: 'Workstation' },
        { Timestamp: '2024-05-01T00:00:00Z', DeviceName: 'ws-2', DeviceType: 'Workstation' },
      ],
      IdentityQueryEvents: ldapRows(),
    };
    const result = engineOver(tables).query(hunt, { now: NOW });
    expect(records(result)).toEqual([
      { DeviceName: 'ws-1', Timestamp: '2024-04-20T03:00:00.0000000Z', PerHourCount: 40, baseline: expect.any(Number), anomalies: 1, score: expect.any(Number) },
    ]);
    const [row] = records(result);
    expect(row.baseline as number).toBeLessThan(5);
    expect(row.score as number).toBeGreaterThan(1.5);
  });
});
