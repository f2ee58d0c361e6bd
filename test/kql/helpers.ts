import { KqlDatabase, KqlEngine, type QueryResult } from '../../src/kql';
import type { Cell } from '../../src/kql/types';

/** The fixed instant tests run queries at, so now()/ago() are reproducible. */
export const NOW = new Date('2024-05-04T00:00:00Z');

export type Rows = Record<string, Array<Record<string, unknown>>>;

export function engineOver(tables: Rows = {}): KqlEngine {
  return new KqlEngine(KqlDatabase.fromRows(tables));
}

/** Runs a query over in-memory tables at NOW. */
export function run(kql: string, tables: Rows = {}, watchlists: Rows = {}): QueryResult {
  return engineOver(tables).query(kql, { now: NOW, watchlists });
}

/** Result rows as objects keyed by column name, for readable expectations. */
export function records(result: QueryResult): Array<Record<string, Cell>> {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** The values of one column. */
export function column(result: QueryResult, name: string): Cell[] {
  const i = result.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`no column ${name} in ${result.columns.map((c) => c.name).join(', ')}`);
  return result.rows.map((r) => r[i]);
}

/** The single value of a one-row, one-column (or named column) result, e.g. from `print`. */
export function scalar(kql: string, name?: string, tables: Rows = {}): Cell {
  const result = run(kql, tables);
  expect(result.rows).toHaveLength(1);
  return name ? column(result, name)[0] : result.rows[0][0];
}

/** Signer values exercising the `has` term rules, with one device each. */
export const SIGNER_TRAPS = [
  'NCH Software Pty Ltd',
  'NCH Software',
  'nch software',
  'NCHSoftware',
  'NCH Softwares',
  'NCH_Software',
  'Branch Software',
];

export function certificateRows(signers: string[]): Array<Record<string, unknown>> {
  return signers.map((signer, k) => ({
    Timestamp: `2024-05-0${1 + (k % 3)}T10:00:00.000000${k % 10}Z`,
    DeviceId: `dev-${k}`,
    DeviceName: `host-${k}`,
    Signer: signer,
    SHA1: `sha-${k % 2}`,
    ReportId: 100 + k,
  }));
}
