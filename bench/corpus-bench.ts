/**
 * Published-hunts benchmark (npm run bench:corpus): every query under bench/corpus/queries is
 * checked by the official parser against the bundled schema, then run on the embedded engine over
 * the generated sample telemetry with a time budget, and classified (bench/corpus/outcome.ts).
 * Prints counts per class, the constructs and tables that block most, and writes a JSON report to
 * bench/out/. It measures whatever engine and schema the tree holds; it asserts nothing.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sampleNow } from '../src/data/generator';
import { sampleDatabase } from '../src/data/sample-data';
import { checkQuery, KqlEngine, warmUpKql } from '../src/kql';
import { classifyDiagnostics, classifyError, type Outcome, type OutcomeClass } from './corpus/outcome';

const ROOT = resolve(__dirname, '..', '..');
const QUERY_DIR = join(ROOT, 'bench', 'corpus', 'queries');
const OUT_DIR = join(ROOT, 'bench', 'out');
/** Per query; the engine checks its budget between row batches, so a runaway stops near this. */
const TIMEOUT_MS = Number(process.env.BENCH_QUERY_TIMEOUT_MS ?? 10_000);
const LIMITS = { timeoutMs: TIMEOUT_MS, maxRows: 5_000_000, maxMemoryMb: 2_048 };
const CLASSES: OutcomeClass[] = ['runs', 'refused-construct', 'unknown-table', 'unknown-column', 'unknown-function', 'parser-error', 'runtime-error', 'timeout', 'limit', 'crash'];

interface QueryRecord {
  file: string;
  source: string;
  check: Outcome | { class: 'clean' };
  outcome: Outcome;
  /** Tables the query reads that the sample telemetry holds no rows for (runs only). */
  emptyTables?: string[];
  ms: number;
}

function header(text: string, key: string): string {
  return new RegExp(`^// ${key}: (.*)$`, 'm').exec(text)?.[1] ?? '';
}

function repoOf(record: QueryRecord): string {
  return record.source.split('/').slice(0, 2).join('/');
}

function tally(values: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function pct(n: number, total: number): string {
  return `${((100 * n) / total).toFixed(1)}%`;
}

function printTop(title: string, rows: Array<[string, number]>, limit = 15): void {
  if (rows.length === 0) return;
  console.log(`\n${title}`);
  for (const [name, count] of rows.slice(0, limit)) console.log(`  ${String(count).padStart(4)}  ${name}`);
}

async function main(): Promise<void> {
  // The first parse loads the official parser (seconds); paid here so no query's time budget pays it.
  await warmUpKql();
  const files = readdirSync(QUERY_DIR).filter((f) => f.endsWith('.kql')).sort();
  const now = sampleNow();
  const db = sampleDatabase({ now });
  const engine = new KqlEngine(db);
  const records: QueryRecord[] = [];
  for (const file of files) {
    const text = readFileSync(join(QUERY_DIR, file), 'utf8');
    const started = performance.now();
    const diagnostics = checkQuery(text).filter((d) => d.severity === 'Error');
    const check = diagnostics.length === 0 ? ({ class: 'clean' } as const) : classifyDiagnostics(diagnostics);
    let outcome: Outcome;
    let emptyTables: string[] | undefined;
    try {
      const { result, tables } = engine.queryWithTables(text, { now, limits: LIMITS });
      outcome = { class: 'runs', rows: result.rows.length };
      emptyTables = tables.filter((t) => db.rowCount(t) === 0);
    } catch (error) {
      outcome = classifyError(error);
    }
    const ms = Math.round(performance.now() - started);
    records.push({ file, source: `${header(text, 'source')}/${header(text, 'path')}`, check, outcome, emptyTables, ms });
    if (outcome.class === 'crash') console.log(`CRASH ${join('bench/corpus/queries', file)}: ${outcome.message}`);
  }

  const total = records.length;
  const elapsed = records.reduce((sum, r) => sum + r.ms, 0);
  console.log(`Published hunts: ${total} queries from ${new Set(records.map(repoOf)).size} repositories in ${(elapsed / 1000).toFixed(1)} s; sample telemetry tables: ${db.tableNames().join(', ')}`);
  console.log(`\n  class               count   share`);
  for (const cls of CLASSES) {
    const n = records.filter((r) => r.outcome.class === cls).length;
    if (n > 0 || cls === 'runs') console.log(`  ${cls.padEnd(18)} ${String(n).padStart(6)}  ${pct(n, total).padStart(6)}`);
  }
  const runs = records.filter((r) => r.outcome.class === 'runs');
  const withRows = runs.filter((r) => (r.outcome.rows ?? 0) > 0).length;
  const onEmpty = runs.filter((r) => (r.emptyTables ?? []).length > 0).length;
  console.log(`\n  runs: ${withRows} with rows, ${runs.length - withRows} with none (${onEmpty} of them read a table the sample telemetry leaves empty)`);
  for (const repo of [...new Set(records.map(repoOf))].sort()) {
    const mine = records.filter((r) => repoOf(r) === repo);
    const ran = mine.filter((r) => r.outcome.class === 'runs').length;
    console.log(`  ${repo}: ${ran} of ${mine.length} run (${pct(ran, mine.length)})`);
  }
  console.log(`  checker (step a): ${records.filter((r) => r.check.class === 'clean').length} of ${total} pass the parser check against the bundled schema`);

  const namesOf = (cls: OutcomeClass) => records.filter((r) => r.outcome.class === cls).flatMap((r) => r.outcome.names ?? []);
  printTop('Top refused constructs (queries)', tally(namesOf('refused-construct')));
  printTop('Top missing tables (queries)', tally(namesOf('unknown-table')), 40);
  printTop('Top unknown columns (queries)', tally(namesOf('unknown-column')));
  printTop('Unknown functions (queries)', tally(namesOf('unknown-function')));
  printTop('Runtime errors', tally(records.filter((r) => r.outcome.class === 'runtime-error').map((r) => `${r.file}: ${r.outcome.message}`)), 30);
  printTop('Parser errors', tally(records.filter((r) => r.outcome.class === 'parser-error').map((r) => `${r.file}: ${r.outcome.message}`)), 30);
  printTop('Timeouts / limits', tally(records.filter((r) => r.outcome.class === 'timeout' || r.outcome.class === 'limit').map((r) => `${r.file}: ${r.outcome.message}`)));

  mkdirSync(OUT_DIR, { recursive: true });
  const reportFile = join(OUT_DIR, `corpus-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const counts = Object.fromEntries(CLASSES.map((c) => [c, records.filter((r) => r.outcome.class === c).length]));
  writeFileSync(reportFile, JSON.stringify({ total, now: now.toISOString(), timeoutMs: TIMEOUT_MS, counts, records }, null, 2));
  console.log(`\nReport: ${reportFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
