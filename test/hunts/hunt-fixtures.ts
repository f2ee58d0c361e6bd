import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HuntCatalog } from '../../src/hunts/catalog';
import type { HuntDefinition } from '../../src/domain/hunt-definition';

export const DAY = 86_400_000;
export const NOW = new Date('2026-11-28T03:00:00Z');

/** The last `days` days before NOW. */
export function lastDays(days: number, now = NOW): { start: Date; end: Date } {
  return { start: new Date(now.getTime() - days * DAY), end: now };
}

/**
 * The built-in catalog without KQL analysis: for tests about resolution and rendering, where
 * catalog-load.test.ts already proves every query analyses cleanly.
 */
export function catalogWithoutAnalysis(): HuntCatalog {
  const { catalog, problems } = HuntCatalog.load({ checkQuery: () => [] });
  if (problems.length > 0) throw new Error(`built-in hunts have problems: ${JSON.stringify(problems)}`);
  return catalog;
}

export function huntNamed(catalog: HuntCatalog, tool: string, kind: string): HuntDefinition {
  const hunt = catalog.hunts().find((h) => h.tool === tool && h.kind === kind);
  if (!hunt) throw new Error(`no ${tool} ${kind} hunt`);
  return hunt;
}

/** A temporary folder holding the given files; removed by the returned cleanup. */
export function tempHuntsDir(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunts-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A valid hunt file text, with fields overridable for negative cases. */
export function huntFileText(overrides: { id?: string; tool?: string; query?: string; extra?: string } = {}): string {
  const query = overrides.query ?? `let Time_start = {{TimeStart}};
let Time_end = {{TimeEnd}};
DeviceFileCertificateInfo
| where Timestamp between (Time_start .. Time_end)
| where Signer has 'Contoso Remote Ltd'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;
  return `id: ${overrides.id ?? '3f2a6c1e-9d4b-4e7a-8c5f-1b2d3e4f5a6b'}
name: Contoso Remote file signature
description: Files signed by Contoso Remote Ltd.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceFileCertificateInfo]
tactics: [CommandAndControl]
relevantTechniques: [T1219]
family: rmm
tool: ${overrides.tool ?? 'contosoremote'}
toolName: Contoso Remote
kind: filesig
query: |
${query
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
${overrides.extra ?? ''}`;
}

/** A bot-format query over a custom `_CL` table (ContosoVpn_CL) that only another workspace's schema knows. */
export const CONTOSO_VPN_QUERY = `let Time_start = {{TimeStart}};
let Time_end = {{TimeEnd}};
ContosoVpn_CL
| where TimeGenerated between (Time_start .. Time_end)
| where Client_s has 'Contoso Remote'
| summarize FirstSeen=min(TimeGenerated), LastSeen=max(TimeGenerated), Count=count() by DeviceId=DeviceId_s, DeviceName=Computer`;
