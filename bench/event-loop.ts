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
import type { QueryBackend, QueryWindow } from '../src/backends/query-backend';
import { WorkerEngineBackend } from '../src/backends/worker-engine-backend';
import { telemetryRows } from '../src/data/generator';
import { HuntCatalog } from '../src/hunts/catalog';
import { renderHuntQuery } from '../src/hunts/render';
import { loadDataFolder, warmUpKql } from '../src/kql';

const NOW = new Date('2026-11-28T03:00:00Z');
const TABLE = 'DeviceFileCertificateInfo';

interface Figures {
  backend: string;
  loadMs: number;
  queryMs: number[];
  loopDelayMs: { p50: number; p99: number; max: number };
  rows: number;
}

async function main(): Promise<void> {
  const rows = numberArg('--rows', 1_000_000);
  const runs = numberArg('--runs', 3);
  const dir = stringArg('--dir') ?? (await writeDataFolder(rows));
  const window: QueryWindow = { start: new Date(NOW.getTime() - 5 * 86_400_000), end: NOW };
  // Rendering needs no analysis here: the catalog tests prove every hunt analyses cleanly.
  const { catalog } = HuntCatalog.load({ env: {}, checkQuery: () => [] });
  const hunt = catalog.hunts().find((h) => h.tool === 'desktopnow' && h.kind === 'filesig');
  if (!hunt) throw new Error('the catalog has no DesktopNow file signature hunt');
  const kql = renderHuntQuery(hunt, { window });
  console.log(`data: ${dir} (${TABLE}, ${rows.toLocaleString('en-US')} rows), Node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(1)}`);

  const inProcess = await measure('in-process EmbeddedBackend', runs, kql, window, async () => {
    await warmUpKql();
    return new EmbeddedBackend(loadDataFolder(dir), `embedded engine over ${dir}`, async () => ({}), () => NOW);
  });
  const inWorker = await measure('WorkerEngineBackend (1 worker)', runs, kql, window, async () => {
    const backend = new WorkerEngineBackend({ data: { dataDir: dir }, poolSize: 1, now: () => NOW });
    await backend.ready();
    return backend;
  });
  if (JSON.stringify(inProcess.answer) !== JSON.stringify(inWorker.answer)) throw new Error('the worker answered differently from the in-process engine');

  console.log('\nbackend                          load ms   query ms (each run)        loop delay p50 / p99 / max ms   result rows');
  for (const f of [inProcess.figures, inWorker.figures]) {
    const queries = f.queryMs.map((ms) => ms.toFixed(0)).join(', ');
    const delay = `${f.loopDelayMs.p50.toFixed(1)} / ${f.loopDelayMs.p99.toFixed(1)} / ${f.loopDelayMs.max.toFixed(1)}`;
    console.log(`${f.backend.padEnd(32)} ${f.loadMs.toFixed(0).padStart(7)}   ${queries.padEnd(26)} ${delay.padStart(31)}   ${f.rows}`);
  }
  console.log('\nBoth backends returned identical results.');
  if (!stringArg('--dir')) fs.rmSync(dir, { recursive: true, force: true });
}

/** Loads a backend, warms it with one run, then runs the hunt `runs` times with the event-loop delay histogram on. */
async function measure(
  label: string,
  runs: number,
  kql: string,
  window: QueryWindow,
  open: () => Promise<QueryBackend>,
): Promise<{ figures: Figures; answer: unknown }> {
  const loadStarted = performance.now();
  const backend = await open();
  const loadMs = performance.now() - loadStarted;
  await backend.run({ kql, window });

  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const queryMs: number[] = [];
  let answer: unknown;
  let rows = 0;
  histogram.enable();
  for (let i = 0; i < runs; i++) {
    const outcome = await backend.run({ kql, window });
    queryMs.push(outcome.durationMs);
    answer = outcome.result;
    rows = outcome.result.rows.length;
  }
  histogram.disable();
  await backend.close?.();
  const ms = (ns: number) => ns / 1e6;
  return {
    figures: {
      backend: label,
      loadMs,
      queryMs,
      loopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) },
      rows,
    },
    answer,
  };
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
