import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { GENERATED_MARKER, buildRmmHuntFiles } from '../../scripts/generate-rmm-hunts';
import { builtinHuntsDir } from '../../src/hunts/package-paths';
import { isAllToolsRow, isGap, loadRmmIndicators } from '../../src/hunts/rmm-indicators';
import { catalogWithoutAnalysis } from './hunt-fixtures';

const rmmDir = path.join(builtinHuntsDir(), 'rmm');
const generated = buildRmmHuntFiles();
const rows = loadRmmIndicators();
const catalog = catalogWithoutAnalysis();
/** The generated files are the RMM family's; the lookups (family lookup) are written by hand. */
const rmmHunts = () => catalog.hunts().filter((h) => h.family === 'rmm');

describe('the generated RMM hunt files', () => {
  test('are committed exactly as the generator writes them (run scripts/generate-rmm-hunts.ts after editing)', () => {
    const stale = [...generated].filter(([name, text]) => !fs.existsSync(path.join(rmmDir, name)) || fs.readFileSync(path.join(rmmDir, name), 'utf8') !== text);
    expect(stale.map(([name]) => name)).toEqual([]);
  });

  test('leave no generated file behind that the generator no longer writes', () => {
    const orphans = fs
      .readdirSync(rmmDir)
      .filter((name) => name.endsWith('.yaml') && !generated.has(name))
      .filter((name) => fs.readFileSync(path.join(rmmDir, name), 'utf8').startsWith(GENERATED_MARKER));
    expect(orphans).toEqual([]);
  });

  test('account for every tool in the indicator table: a hunt or a reason', () => {
    const tools = new Set(rows.filter((r) => !isAllToolsRow(r)).map((r) => r.tool));
    const noHunt = parse(generated.get('_no-hunt.yaml') ?? '') as { tools: Array<{ toolName: string }> };
    const covered = catalog.tools('rmm');
    expect(covered.length).toBe(tools.size + 1); // + the all-tools `any`
    expect(covered.filter((t) => t.noHuntReason).length).toBe(noHunt.tools.length);
  });

  test('keep the upstream query id of every hunt ported from a published query', () => {
    for (const hunt of rmmHunts()) {
      const upstream = rows.find((r) => r.queryId && r.queryId === hunt.upstreamId);
      if (hunt.upstreamId) expect(upstream).toBeDefined();
    }
    const withIds = new Set(rows.filter((r) => r.queryId && !isGap(r)).map((r) => r.queryId));
    expect(new Set(rmmHunts().map((h) => h.upstreamId).filter(Boolean))).toEqual(withIds);
  });

  test("fit Azure-Sentinel's 255-character description limit", () => {
    expect(rmmHunts().filter((h) => h.description.length > 255).map((h) => h.name)).toEqual([]);
  });

  test('carry none of the upstream defects', () => {
    for (const hunt of rmmHunts()) {
      expect(hunt.query).not.toMatch(/has_all has_any|\bSha1\b|now\(-5d\)/);
      if (hunt.kind === 'network') expect(hunt.query).not.toMatch(/(?<!InitiatingProcess)AccountUpn/);
    }
  });

  test('summarize by device with the same core columns, plus account and evidence per kind', () => {
    for (const hunt of rmmHunts()) {
      expect(hunt.query).toMatch(/summarize FirstSeen=min\(Timestamp\), LastSeen=max\(Timestamp\),\s+Report=make_set\(ReportId\), Count=count\(\)/);
      expect(hunt.query).toMatch(/ by DeviceId, DeviceName\n$/);
      if (hunt.kind === 'process') expect(hunt.query).toContain('Accounts=make_set(AccountUpn), FileNames=make_set(FileName)');
      if (hunt.kind === 'network') expect(hunt.query).toContain('Accounts=make_set(InitiatingProcessAccountUpn), RemoteUrls=make_set(RemoteUrl)');
    }
  });
});
