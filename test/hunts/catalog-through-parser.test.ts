import { HuntCatalog } from '../../src/hunts/catalog';
import { loadCatalogThroughParser } from '../../src/hunts/catalog-through-parser';
import { inThreadKqlQuestions, type KqlQuestions, warmUpKql } from '../../src/kql';
import { runWideQueryChecker } from '../support/run-kql-checks';
import { huntFileText, tempHuntsDir } from './hunt-fixtures';

/**
 * The bot's catalog load with the parser's answers asked asynchronously (in the bot, of the engine's
 * parser process) must admit and reject exactly what the synchronous load does, and must never admit a
 * hunt whose query the parser could not answer for.
 */

const SENTINEL_FILE = `id: a1111111-1111-4111-8111-111111111111
name: Rare process as service
description: Processes started by services.exe on few hosts.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
tactics: [Persistence]
relevantTechniques: [T1543.003]
query: |
  let lookback = 7d;
  DeviceProcessEvents
  | where TimeGenerated > ago(lookback)
  | where FileName =~ 'svc-helper.exe'
  | project TimeGenerated, DeviceName, AccountName
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: DeviceName
version: 1.0.0
kind: Scheduled
`;

const USER_FILES = {
  'rare-service.yaml': SENTINEL_FILE,
  'contoso.yaml': huntFileText(),
  'bad-column.yaml': huntFileText({ id: '4f2a6c1e-9d4b-4e7a-8c5f-1b2d3e4f5a6b', tool: 'badcolumn', query: "let Time_start = {{TimeStart}};\nlet Time_end = {{TimeEnd}};\nDeviceFileCertificateInfo\n| where Timestamp between (Time_start .. Time_end)\n| where NoSuchColumn has 'x'\n| project DeviceId, DeviceName" }),
  'window-in-comment.yaml': huntFileText({ id: '5f2a6c1e-9d4b-4e7a-8c5f-1b2d3e4f5a6b', tool: 'commentwindow', query: "// from {{TimeStart}} to {{TimeEnd}}\nDeviceFileCertificateInfo\n| where Timestamp > ago(1d)\n| project DeviceId, DeviceName" }),
};

describe('loading the catalog through an asynchronous parser', () => {
  const folder = tempHuntsDir(USER_FILES);
  const huntFolders = [{ dir: folder.dir, family: 'community' }];
  // The built-ins' verdicts are shared with the run's other catalog loads (the same analyser's answers).
  const sharedCheck = runWideQueryChecker();
  const questions: KqlQuestions = { ...inThreadKqlQuestions, check: async (kql) => sharedCheck(kql) };

  beforeAll(async () => {
    await warmUpKql();
  });
  afterAll(() => folder.cleanup());

  test('admits and rejects exactly the hunts the synchronous load does, Azure-Sentinel windows and window tokens included', async () => {
    const direct = HuntCatalog.load({ huntFolders, checkQuery: sharedCheck });
    const through = await loadCatalogThroughParser(questions, { huntFolders });
    expect(through.problems).toEqual(direct.problems);
    expect(through.catalog.hunts()).toEqual(direct.catalog.hunts());
    // The cases the comparison is about really happened.
    expect(direct.catalog.hunts().find((hunt) => hunt.format === 'sentinel')?.windowSlots?.length).toBeGreaterThan(0);
    expect(direct.problems.map((problem) => problem.reason).join('\n')).toMatch(/does not pass KQL analysis[\s\S]*only inside a comment/);
  });

  test('reports every hunt as not checked, with the reason, when the parser cannot answer, and admits none', async () => {
    const reason = 'the Kusto parser process stopped: it ran out of memory before answering';
    const stopped: KqlQuestions = {
      check: () => Promise.reject(new Error(reason)),
      tokens: () => Promise.reject(new Error(reason)),
      timeWindow: () => Promise.reject(new Error(reason)),
    };
    const { catalog, problems } = await loadCatalogThroughParser(stopped, { huntFolders });
    expect(catalog.size).toBe(0);
    expect(problems.length).toBeGreaterThan(USER_FILES_COUNT);
    for (const problem of problems) {
      expect(problem.reason).toBe(`could not be loaded: its query could not be checked: ${reason}`);
    }
  });

  test('asks the questions the stopped thread held again, one at a time, and admits what the synchronous load admits', async () => {
    const direct = HuntCatalog.load({ huntFolders, checkQuery: sharedCheck });
    // The first questions in flight all fail together, as a stopped thread fails every question it held.
    let failedAtOnce = 0;
    const stopsOnce: KqlQuestions = {
      ...inThreadKqlQuestions,
      check: async (kql) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (failedAtOnce < 3) {
          failedAtOnce++;
          throw new Error('the Kusto parser process stopped: it ran out of memory before answering');
        }
        return sharedCheck(kql);
      },
    };
    const through = await loadCatalogThroughParser(stopsOnce, { huntFolders });
    expect(failedAtOnce).toBe(3);
    expect(through.problems).toEqual(direct.problems);
    expect(through.catalog.hunts()).toEqual(direct.catalog.hunts());
  });
});

const USER_FILES_COUNT = Object.keys(USER_FILES).length;
