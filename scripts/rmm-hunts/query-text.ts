import { kqlString } from '../../src/hunts/kql-literals';
import type { IndicatorRow } from '../../src/hunts/rmm-indicators';

/** KQL text for the generated RMM hunts. Every hunt shares the window lets and the summary's core columns. */

export const WINDOW_LETS = 'let Time_start = {{TimeStart}};\nlet Time_end = {{TimeEnd}};';
export const WINDOW_FILTER = '| where Timestamp between (Time_start .. Time_end)';

const CORE_SUMMARY = 'FirstSeen=min(Timestamp), LastSeen=max(Timestamp),\n    Report=make_set(ReportId), Count=count()';

/** Evidence columns per kind, after the core ones; DeviceNetworkEvents has no AccountUpn. */
const EVIDENCE: Readonly<Record<string, string>> = {
  filesig: '',
  process: ',\n    Accounts=make_set(AccountUpn), FileNames=make_set(FileName)',
  network: ',\n    Accounts=make_set(InitiatingProcessAccountUpn), RemoteUrls=make_set(RemoteUrl)',
};

export function summarizeLine(kind: string, extra = ''): string {
  return `| summarize ${CORE_SUMMARY}${EVIDENCE[kind] ?? ''}${extra} by DeviceId, DeviceName`;
}

/** Column names fixed where the upstream text is wrong: KQL names are case-sensitive. */
const FIELD_FIXES: Readonly<Record<string, string>> = { Sha1: 'SHA1' };

export function fieldName(row: IndicatorRow): string {
  return FIELD_FIXES[row.field] ?? row.field;
}

/** `('a', 'b')`, one value per line when the list would make a long line. */
export function valueList(values: readonly string[], indent = '    '): string {
  const literals = values.map(kqlString);
  const oneLine = `(${literals.join(', ')})`;
  if (oneLine.length <= 90) return oneLine;
  return `(\n${literals.map((l) => `${indent}    ${l}`).join(',\n')}\n${indent})`;
}

/** One row of the table as a KQL predicate. */
export function predicate(row: IndicatorRow): string {
  const field = fieldName(row);
  switch (row.op) {
    case 'has':
      return row.values.length === 1 ? `${field} has ${kqlString(row.values[0])}` : `${field} has_any ${valueList(row.values)}`;
    case 'has_any':
    case 'has_all has_any': // upstream defect (Level); its markdown version uses has_any
      return `${field} has_any ${valueList(row.values)}`;
    case 'isempty':
      return `isempty(${field})`;
    case 'startswith':
      return `${field} startswith ${kqlString(row.values[0])}`;
    case '=~':
      return `${field} =~ ${kqlString(row.values[0])}`;
    default:
      throw new Error(`${row.tool} ${row.kind}: no KQL for operator ${row.op}`);
  }
}

/** `$0 and ($1 or $2)` with each `$n` replaced by row n's predicate. */
export function combine(expression: string, predicates: readonly string[]): string {
  return expression.replace(/\$(\d+)/g, (_m, n: string) => {
    const text = predicates[Number(n)];
    if (text === undefined) throw new Error(`combination ${expression} refers to missing row ${n}`);
    return text;
  });
}
