import { AnalysisProcess, analyserThrough } from '../../src/cli/analysis-process';
import { ANALYSER_HERE } from '../../src/cli/query-answer';
import { KqlDatabase, analyzerFor, warmUpKql } from '../../src/kql';
import type { TableSchema } from '../../src/kql/schema';
import { ensureParserSnapshot } from '../support/parser-snapshot-blob';

/**
 * `huntbot query`'s analysis process (bin/kql-analyser.js started from the parser's snapshot) answers
 * what this process's parser answers, and a query is still analysed when that process cannot answer.
 * Runs the built code: `npm test` builds first.
 */

const CUSTOM: TableSchema = { name: 'ContosoVpn_CL', columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Client_s', type: 'string' }] };
const QUERIES: Array<[string, TableSchema[]]> = [
  ["DeviceProcessEvents | where FileName =~ 'powershell.exe' | summarize count() by DeviceName, bin(Timestamp, 1h)", []],
  ["ContosoVpn_CL | where Client_s has 'Contoso' | project TimeGenerated, real(+inf), -0.0", [CUSTOM]],
  ['DeviceProcessEvents | where NoSuchColumn == 1 | summarize by', []],
];

/** A process that takes the question and ends without answering. */
const ENDS_WHEN_ASKED = ['-e', "process.once('message', () => process.exit(3))"];

let analysisProcess: AnalysisProcess | undefined;

beforeAll(async () => {
  ensureParserSnapshot();
  await warmUpKql();
});

afterEach(() => analysisProcess?.close());

test.each(QUERIES)('analyses %s exactly as this process\'s parser does, over the data\'s own tables too', async (kql, extraSchemas) => {
  analysisProcess = AnalysisProcess.fromParserSnapshot();
  expect(analysisProcess).toBeDefined();
  expect(await analysisProcess!.analyse(kql, extraSchemas)).toEqual(analyzerFor(extraSchemas).analysis(kql));
});

test('answers several questions in turn, then ends when let go', async () => {
  analysisProcess = AnalysisProcess.fromParserSnapshot()!;
  const answers = await Promise.all(QUERIES.map(([kql, extraSchemas]) => analysisProcess!.analyse(kql, extraSchemas)));
  expect(answers.map((analysis) => analysis.text)).toEqual(QUERIES.map(([kql]) => kql));
  analysisProcess.close();
  await expect(analysisProcess.analyse('print 1', [])).rejects.toThrow(/^the analysis process (stopped|could not be asked)/);
});

test('is not started when HUNTBOT_PARSER_SNAPSHOT=0', () => {
  process.env.HUNTBOT_PARSER_SNAPSHOT = '0';
  try {
    expect(AnalysisProcess.fromParserSnapshot()).toBeUndefined();
  } finally {
    delete process.env.HUNTBOT_PARSER_SNAPSHOT;
  }
});

test('rejects, saying why, when the process ends before it answers', async () => {
  analysisProcess = new AnalysisProcess(ENDS_WHEN_ASKED);
  await expect(analysisProcess.analyse('print 1', [])).rejects.toThrow('the analysis process stopped: it exited with code 3');
  await expect(analysisProcess.analyse('print 2', [])).rejects.toThrow('the analysis process stopped: it exited with code 3');
});

test('a query is still analysed, here, when the analysis process cannot answer', async () => {
  analysisProcess = new AnalysisProcess(ENDS_WHEN_ASKED);
  const db = KqlDatabase.fromRows({ DeviceProcessEvents: [] });
  const [kql] = QUERIES[0];
  expect(await analyserThrough(analysisProcess, ANALYSER_HERE).analyse(db, kql)).toEqual(analyzerFor([]).analysis(kql));
});

test('the query asked at once is answered for data of bundled tables, and asked again for data with tables of its own', async () => {
  analysisProcess = AnalysisProcess.fromParserSnapshot()!;
  const kql = 'union DeviceProcessEvents, (ContosoVpn_CL | extend DeviceName = Client_s) | summarize count() by DeviceName';
  const analyser = analyserThrough(analysisProcess, ANALYSER_HERE, kql);
  const bundledOnly = KqlDatabase.fromRows({ DeviceProcessEvents: [] });
  const withOwnTable = KqlDatabase.fromRows({ DeviceProcessEvents: [], ContosoVpn_CL: [{ TimeGenerated: '2024-05-31T10:00:00Z', Client_s: 'wks-1' }] });
  expect(withOwnTable.extraSchemas().map((schema) => schema.name)).toEqual(['ContosoVpn_CL']);
  // Over bundled tables only, ContosoVpn_CL is unknown (KS204); over the data's own, it is not.
  const early = await analyser.analyse(bundledOnly, kql);
  expect(early).toEqual(analyzerFor([]).analysis(kql));
  expect(early.diagnostics.map((d) => d.code)).toContain('KS204');
  const again = await analyser.analyse(withOwnTable, kql);
  expect(again).toEqual(analyzerFor(withOwnTable.extraSchemas()).analysis(kql));
  expect(again.diagnostics.filter((d) => d.severity === 'Error')).toEqual([]);
});
