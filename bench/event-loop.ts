/**
 * How long the bot's event loop stalls while the DesktopNow hunt evaluates over a million
 * DeviceFileCertificateInfo rows: in process (EmbeddedBackend) versus in a worker thread
 * (WorkerEngineBackend). A stalled loop answers no Teams message, so this is the figure responders
 * feel during an incident.
 *
 *   npm run build && node dist/bench/event-loop.js [--rows 1000000] [--runs 3] [--dir DIR]
 *
 * --dir reuses a data folder from an earlier run (written to a temporary folder otherwise).
 */
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EmbeddedBackend } from '../src/backends/embedded-backend';
import type { QueryBackend } from '../src/backends/query-backend';
import type { QueryWindow } from '../src/domain/hunt-request';
import { WorkerEngineBackend } from '../src/backends/worker-engine-backend';
import { telemetryRows } from '../src/data/generator';
import { HuntCatalog } from '../src/hunts/catalog';
import { renderHuntQuery } from '../src/hunts/render';
import { loadDataFolder } from '../src/data/jsonl';
import { warmUpKql } from '../src/kql';

const NOW = new Date('2026-11-28T03:00:00Z');
const TABLE = 'DeviceFileCertificateInfo';

interface Scenario {
  name: string;
  kql: string;
}

interface Figures {
  backend: string;
  scenario: string;
  queryMs: number[];
  loopDelayMs: { p50: number; p99: number; max: number };
  samples: number;
  rows: number;
  answer: string;
}

async function main(): Promise<void> {
  const rows = numberArg('--rows', 1_000_000);
  const runs = numberArg('--runs', 5);
  const dir = stringArg('--dir') ?? (await writeDataFolder(rows));
  const window: QueryWindow = { start: new Date(NOW.getTime() - 5 * 86_400_000), end: NOW };
  const scenarios = [
    { name: 'DesktopNow file signature hunt, 5d', kql: desktopNowHunt(window) },
    {
      name: 'every signer on every device, 30d',
      kql: `${TABLE} | where Timestamp > ago(30d) | summarize Count=count(), Reports=dcount(ReportId), LastSeen=max(Timestamp) by DeviceId, Signer`,
    },
  ];
  console.log(`data: ${dir} (${TABLE}, ${rows.toLocaleString('en-US')} rows); Node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);

  const figures: Figures[] = [];
  // The worker goes first: measured after the in-process run, the main thread would also be
  // collecting the million rows that backend left behind.
  const backends: Array<{ label: string; open: () => Promise<QueryBackend> }> = [
    {
      label: 'WorkerEngineBackend, 1 worker',
      open: async () => {
        const backend = new WorkerEngineBackend({ data: { dataDir: dir }, poolSize: 1, now: () => NOW });
        await backend.ready();
        return backend;
      },
    },
    {
      label: 'in-process EmbeddedBackend',
      open: async () => {
        await warmUpKql();
        return new EmbeddedBackend(loadDataFolder(dir), `embedded engine over ${dir}`, async () => ({}), () => NOW);
      },
    },
  ];
  for (const { label, open } of backends) {
    const loadStarted = performance.now();
    const backend = await open();
    console.log(`${label}: loaded in ${(performance.now() - loadStarted).toFixed(0)} ms`);
    for (const scenario of scenarios) figures.push(await measure(label, backend, scenario, window, runs));
    await backend.close?.();
  }

  console.log('\nscenario                             backend                         query ms (each run)          loop delay p50 / p99 / max ms (samples; idle = the 10 ms interval)   rows');
  for (const f of figures) {
    const queries = f.queryMs.map((ms) => ms.toFixed(0)).join(', ');
    const delay = `${f.loopDelayMs.p50.toFixed(1)} / ${f.loopDelayMs.p99.toFixed(1)} / ${f.loopDelayMs.max.toFixed(1)} (${f.samples})`;
    console.log(`${f.scenario.padEnd(36)} ${f.backend.padEnd(31)} ${queries.padEnd(28)} ${delay.padEnd(41)} ${f.rows}`);
  }
  for (const scenario of scenarios) {
    const answers = new Set(figures.filter((f) => f.scenario === scenario.name).map((f) => f.answer));
    if (answers.size !== 1) throw new Error(`the backends answered "${scenario.name}" differently`);
  }
  console.log('\nBoth backends returned identical results for every scenario.');
  if (!stringArg('--dir')) fs.rmSync(dir, { recursive: true, force: true });
}

function desktopNowHunt(window: QueryWindow): string {
  // Rendering needs no analysis here: the catalog tests prove every hunt analyses cleanly.
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });
  const hunt = catalog.hunts().find((h) => h.tool === 'desktopnow' && h.kind === 'filesig');
  if (!hunt) throw new Error('the catalog has no DesktopNow file signature hunt');
  return renderHuntQuery(hunt, { window });
}

/** Warms the backend with one run, then runs the scenario `runs` times with the event-loop delay histogram on. */
async function measure(label: string, backend: QueryBackend, scenario: Scenario, window: QueryWindow, runs: number): Promise<Figures> {
  await backend.run({ kql: scenario.kql, window });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const queryMs: number[] = [];
  let answer = '';
  let rows = 0;
  histogram.enable();
  for (let i = 0; i < runs; i++) {
    // Hunts arrive as separate HTTP requests: give the loop (and the histogram's timer) a turn between them.
    await idle(50);
    const outcome = await backend.run({ kql: scenario.kql, window });
    queryMs.push(outcome.durationMs);
    answer = JSON.stringify(outcome.result);
    rows = outcome.result.rows.length;
  }
  // Let the timer fire once more, so a stall caused by the last run is recorded too.
  await idle(50);
  histogram.disable();
  const ms = (ns: number) => ns / 1e6;
  return {
    backend: label,
    scenario: scenario.name,
    queryMs,
    loopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
    samples: histogram.count,
    rows,
    answer,
  };
}

function idle(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The sample generator's certificate rows as `<Table>.jsonl`, streamed as `huntbot gen-data` does. */
async function writeDataFolder(rows: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-loop-bench-'));
  const out = fs.createWriteStream(path.join(dir, `${TABLE}.jsonl`), { encoding: 'utf8' });
  for (const { row } of telemetryRows({ now: NOW, rows, tables: [TABLE] })) {
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return dir;
}

function stringArg(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function numberArg(flag: string, fallback: number): number {
  const text = stringArg(flag);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer`);
  return value;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
