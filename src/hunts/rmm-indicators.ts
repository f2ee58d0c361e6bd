import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinHuntsDir } from './package-paths';

/**
 * The RMM indicator fact table (`src/hunts/rmm/rmm-indicators.tsv`, see SOURCE.md there): one row per
 * tool, signal kind and predicate. The hunt generator writes the hunts from it, and the sample data
 * generator plants telemetry that those predicates match.
 */
export interface IndicatorRow {
  /** Tool name as the table writes it, e.g. "DesktopNow", "parsec.app". */
  tool: string;
  /** `process`, `filesig`, `network`, or `none` for a tool with no queries at all. */
  kind: string;
  table: string;
  field: string;
  /** `has`, `has_any`, `isempty`, `startswith`, `=~`, `in`, or the upstream defect `has_all has_any`. */
  op: string;
  values: string[];
  /** `yaml`, `AHQ-md only`, or why there is no query: `absent`, `md-empty`, `md-note`. */
  source: string;
  queryId: string;
  notes: string;
}

/** Rows with no predicate: the tool (kind `none`) or the tool's signal kind has no query. */
export function isGap(row: IndicatorRow): boolean {
  return row.kind === 'none' || row.field === '';
}

/** The all-tools query's summary row, which carries no predicate of its own. */
export function isAllToolsRow(row: IndicatorRow): boolean {
  return row.tool.startsWith('ALL ');
}

export function rmmIndicatorsPath(): string {
  return path.join(builtinHuntsDir(), 'rmm', 'rmm-indicators.tsv');
}

export function parseIndicatorTable(text: string): IndicatorRow[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const expected = 'tool\tkind\ttable\tmatch_field\top\tmatch_values\tsource\tquery_id\tnotes';
  if (header !== expected) throw new Error(`unexpected indicator table header: ${header}`);
  return lines.map((line) => {
    const [tool, kind, table, field, op, values, source, queryId, notes] = line.split('\t');
    return {
      tool,
      kind,
      table,
      field,
      op,
      values: (values ?? '')
        .split('; ')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
      source: source ?? '',
      queryId: queryId ?? '',
      notes: notes ?? '',
    };
  });
}

let cached: IndicatorRow[] | undefined;

/** The shipped table, read once per process. */
export function loadRmmIndicators(): IndicatorRow[] {
  cached ??= parseIndicatorTable(fs.readFileSync(rmmIndicatorsPath(), 'utf8'));
  return cached;
}
