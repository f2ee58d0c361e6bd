import * as path from 'node:path';
import { startThread } from '../../src/backends/worker-thread';
import { generateTelemetry } from '../../src/data/generator';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';
import { analyzerFor, KqlDatabase, KqlEngine } from '../../src/kql';
import { renderHuntQuery } from '../../src/hunts/render';
import { catalogWithoutAnalysis, huntNamed, lastDays, NOW } from '../hunts/hunt-fixtures';
import type { EvaluateInThread } from '../support/evaluate-in-thread';

jest.setTimeout(120_000);

// Constructs the evaluator walks in different ways: let functions and values, joins, mv-expand, parse,
// summarize with sets, union, datatable, toscalar, materialize, serialize with prev(), top-nested,
// literals of every type, make-series, an error the analyser reports, and a construct the engine refuses.
const QUERIES = [
  renderHuntQuery(huntNamed(catalogWithoutAnalysis(), 'desktopnow', 'filesig'), { window: lastDays(5) }),
  `let Recent = (n:long) { DeviceProcessEvents | top n by Timestamp desc }; let cutoff = ago(3d);
Recent(50) | where Timestamp > cutoff | join kind=leftouter (DeviceNetworkEvents | summarize Conns = count() by DeviceId) on DeviceId
| project DeviceName, FileName, Conns | order by DeviceName asc, FileName asc`,
  `DeviceProcessEvents | take 20 | mv-expand Part = split(ProcessCommandLine, ' ') to typeof(string) | parse FolderPath with * '\\\\' Last
| summarize Parts = make_set(Part, 5), Seen = dcount(Last) by DeviceId | order by DeviceId asc`,
  `union withsource=T DeviceFileEvents, DeviceRegistryEvents | summarize count() by T | order by T asc`,
  `let t = datatable(a:long, b:string, c:datetime, d:timespan, e:dynamic)[1, 'x', datetime(2024-01-01), 1h, dynamic({"k":[1,2]}), 2, 'y', datetime(null), 2d, dynamic(null)];
let m = toscalar(t | summarize max(a)); let mat = materialize(t | extend f = e.k[1]);
mat | serialize | extend prevA = prev(a), isMax = a == m, g = iff(b has 'x', 0x1F, -1), h = case(a > 1, 'big', 'small'), i = guid(00000000-0000-0000-0000-00000000000a), j = decimal(1.5) * 2, k = real(2.5), l = true`,
  `DeviceProcessEvents | top-nested 2 of DeviceName by count(), top-nested 1 of FileName by count() | order by DeviceName asc`,
  `DeviceProcessEvents | where NoSuchColumn == 1`,
  `DeviceProcessEvents | make-series count() default = 0 on Timestamp step 1h by DeviceId | order by DeviceId asc`,
  `DeviceProcessEvents | evaluate basket()`,
];

describe('an engine thread evaluating analyses made elsewhere (what every engine worker does)', () => {
  let answered: { results: Array<{ result?: unknown; error?: string }>; parserLoaded: boolean };
  let inProcess: Array<{ result?: unknown; error?: string }>;

  beforeAll(async () => {
    // Generated telemetry with every table the queries read, from a fleet of 40 devices: the full
    // sample's size is not what this is about, and generating it was most of this file's time.
    const database = KqlDatabase.fromRows(generateTelemetry({ now: NOW, rows: 2_000, devices: 40, huntingTables: HUNTING_TABLES }));
    const analyzer = analyzerFor(database.extraSchemas());
    const engine = new KqlEngine(database);
    inProcess = QUERIES.map((kql) => {
      try {
        return { result: engine.query(kql, { now: NOW }) };
      } catch (error) {
        return { error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    });
    const workerData: EvaluateInThread = { data: database.toShared(), analyses: QUERIES.map((kql) => analyzer.analysis(kql)), nowMs: NOW.getTime() };
    const thread = startThread(path.join(__dirname, '..', 'support'), 'evaluate-in-thread', workerData);
    answered = await new Promise((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    await thread.terminate();
  });

  it('never loads the Kusto parser', () => {
    expect(answered.parserLoaded).toBe(false);
  });

  it('answers every query exactly as the engine that parses it itself, errors included', () => {
    expect(answered.results).toEqual(inProcess);
    expect(inProcess.filter((r) => r.result).length).toBe(7);
    expect(inProcess.map((r) => r.error?.split(':')[0]).filter(Boolean)).toEqual(['KqlQueryError', 'KqlUnsupportedError']);
  });
});
