import { KqlDatabase, warmUpKql } from '../../src/kql';
import { type ProgramIdentity, rmmToolIdentities } from '../../src/data/rmm-identities';
import { runHuntOnData } from '../../src/hunt-tests/run-hunt-on-data';
import { TOOL_DIRECTORY } from '../../scripts/rmm-hunts/tool-directory';
import type { HuntDefinition } from '../../src/domain/hunt-definition';
import { DAY, NOW, catalogWithoutAnalysis, lastDays } from './hunt-fixtures';

/**
 * Detection as code: every hunt runs through the embedded engine over fixture telemetry in which each
 * tool is installed on its own device, and a look-alike of each tool (near-miss signer, company and
 * product, `not<domain>.evil` hosts) sits on another. A hunt must find its tool's device, never a
 * look-alike, and no other tool's device except where tools share an indicator (listed below).
 */

type Row = Record<string, unknown>;

const catalog = catalogWithoutAnalysis();
const identities = rmmToolIdentities();
const AT = new Date(NOW.getTime() - DAY).toISOString();

/** Tools whose hunts legitimately also match another tool's install, because the indicators overlap. */
const SHARED_INDICATORS: Readonly<Record<string, string[]>> = {
  // CrossTec's signer list includes NetSupport, which now owns it.
  'crosstec/filesig': ['NetSupport'],
  // The upstream RPort indicators name RealVNC as the agent's company (and so its signer here).
  'realvnc/filesig': ['RPort'],
  'realvnc/process': ['RPort'],
};

function rowsFor(identity: ProgramIdentity, deviceId: string): Record<string, Row[]> {
  const base = { Timestamp: AT, TimeGenerated: AT, DeviceId: deviceId, DeviceName: `${deviceId}.contoso.local`, ReportId: 1 };
  const initiating = {
    InitiatingProcessFileName: identity.fileName,
    InitiatingProcessFolderPath: identity.folderPath,
    InitiatingProcessSHA1: identity.sha1,
    InitiatingProcessVersionInfoCompanyName: identity.company,
    InitiatingProcessVersionInfoProductName: identity.product,
    InitiatingProcessVersionInfoFileDescription: identity.description,
    InitiatingProcessVersionInfoOriginalFileName: identity.originalFileName,
    InitiatingProcessAccountUpn: 'it.admin@contoso.com',
  };
  return {
    DeviceFileCertificateInfo: [{ ...base, SHA1: identity.sha1, Signer: identity.signer, IsSigned: true }],
    DeviceProcessEvents: [
      {
        ...base,
        FileName: identity.fileName,
        FolderPath: identity.folderPath,
        SHA1: identity.sha1,
        ProcessVersionInfoCompanyName: identity.company,
        ProcessVersionInfoProductName: identity.product,
        ProcessVersionInfoFileDescription: identity.description,
        ProcessVersionInfoOriginalFileName: identity.originalFileName,
        AccountUpn: 'it.admin@contoso.com',
      },
    ],
    DeviceNetworkEvents: (identity.hosts.length > 0 ? identity.hosts : ['']).map((host) => ({ ...base, ...initiating, RemoteUrl: host, RemotePort: 443 })),
  };
}

function merge(target: Record<string, Row[]>, extra: Record<string, Row[]>): void {
  for (const [table, rows] of Object.entries(extra)) (target[table] ??= []).push(...rows);
}

const tables: Record<string, Row[]> = {};
for (const { tool, real, decoy } of identities) {
  merge(tables, rowsFor(real, `real-${tool}`));
  merge(tables, rowsFor(decoy, `decoy-${tool}`));
}
const db = KqlDatabase.fromRows(tables);

const WATCHLIST = 'HuntBotExclusions';

/**
 * Runs the hunt as the bot does, with the (empty) exclusion filter appended, so every built-in hunt's
 * filtered form is analysed and evaluated too.
 */
function runHunt(hunt: HuntDefinition) {
  const { result, hits } = runHuntOnData(hunt, db, {
    window: lastDays(5),
    now: NOW,
    exclusions: { watchlistAlias: WATCHLIST, huntKey: `${hunt.family}/${hunt.tool}`, now: NOW },
    watchlists: { [WATCHLIST]: [] },
  });
  return { columns: result.columns.map((c) => c.name), devices: hits.map((hit) => hit.deviceId).sort(), result };
}

/** The indicator table's name for a hunt's tool word. */
function tableToolOf(hunt: HuntDefinition): string {
  const entry = Object.entries(TOOL_DIRECTORY).find(([, e]) => e.tool === hunt.tool);
  if (!entry) throw new Error(`no directory entry for ${hunt.tool}`);
  return entry[0];
}

beforeAll(async () => {
  await warmUpKql();
});

// The lookups (family lookup) are proven on their own fixture in lookup-hunts.test.ts.
const perToolHunts = catalog.hunts().filter((h) => h.family === 'rmm' && h.tool !== 'any');

describe.each(perToolHunts.map((h) => [`${h.tool} ${h.kind}`, h] as const))('%s', (_label, hunt) => {
  const tool = tableToolOf(hunt);
  const { columns, devices: hits } = runHunt(hunt);

  test('finds the device where the tool is installed', () => {
    expect(hits).toContain(`real-${tool}`);
  });

  test('never matches a look-alike', () => {
    expect(hits.filter((d) => d.startsWith('decoy-'))).toEqual([]);
  });

  test("matches other tools' installs only where indicators are shared", () => {
    const others = hits.filter((d) => d.startsWith('real-') && d !== `real-${tool}`).map((d) => d.slice('real-'.length));
    expect(others).toEqual(SHARED_INDICATORS[`${hunt.tool}/${hunt.kind}`] ?? []);
  });

  test('returns the core columns every hunt shares', () => {
    expect(columns.slice(0, 6)).toEqual(['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count']);
  });
});

describe('the all-tools network hunt', () => {
  const { result } = runHunt(catalog.hunts().find((h) => h.tool === 'any') as HuntDefinition);
  const at = (name: string) => result.columns.findIndex((c) => c.name === name);
  const byDevice = new Map(result.rows.map((row) => [String(row[at('DeviceId')]), row[at('Tools')] as string[]]));

  test('finds every tool that has service domains and names it', () => {
    for (const { tool } of identities.filter((i) => i.real.hosts.length > 0)) {
      expect(byDevice.get(`real-${tool}`)).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(byDevice.get(`real-${tool}`)).not.toContain('unknown');
    }
  });

  test('names the tool whose domain matched', () => {
    expect(byDevice.get('real-AnyDesk')).toEqual(['AnyDesk']);
    expect(byDevice.get('real-TeamViewer')).toEqual(['TeamViewer']);
  });

  test('never matches a look-alike domain', () => {
    expect([...byDevice.keys()].filter((d) => d.startsWith('decoy-'))).toEqual([]);
  });
});
