/**
 * Embedded engine benchmark (npm run bench:engine): 1,000,000 generated DeviceFileCertificateInfo
 * rows written as JSONL, loaded with loadDataFolder, the DesktopNow hunt run several times, then the
 * same file loaded into DuckDB and the equivalent SQL run; both answers are compared group by group.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadDataFolder } from '../src/data/jsonl';
import { KqlDatabase, KqlEngine, warmUpKql, type QueryResult } from '../src/kql';
import { formatDateTime } from '../src/kql/values/time';
import { CERTIFICATE_COLUMNS_SQL, HUNT_SQL } from './hunt-sql';
import { measureColdStarts, printColdStarts } from './cold-start';
import { type LoadReport, loadSharedDatabase, openSharedDatabase } from '../src/data/data-source';
import { parallelKnownTablesLoader } from '../src/backends/parallel-jsonl';
import { availableParallelism } from 'node:os';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** Whole-process cold starts per kind (BENCH_COLD_ROUNDS=0 skips them). */
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 3);
/** Set BENCH_DATA_DIR to keep the generated file there and reuse it on the next run. */
const KEEP_DIR = process.env.BENCH_DATA_DIR;
const DEVICES = 2000;
const DAYS = 30;
const RUNS = 7;
const NOW = new Date('2024-06-01T00:00:00Z');
const TABLE = 'DeviceFileCertificateInfo';
/** The bot's default limits (HUNT_ENGINE_MAX_ROWS, HUNT_QUERY_TIMEOUT_SECONDS, HUNT_ENGINE_WORKER_MEMORY_MB): the hunt is timed as the bot runs it. */
const BOT_LIMITS = { maxRows: 5_000_000, timeoutMs: 120_000, maxMemoryMb: 2_048 };

const HUNT = `let Time_start = now(-${DAYS}d); let Time_end = now();
DeviceFileCertificateInfo
| where Timestamp between (Time_start..Time_end)
| where Signer has 'NCH Software'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

// About 25 signers, including the has-traps: only the first five (and 'nch software') contain the term pair.
const SIGNERS = [
  'NCH Software Pty Ltd',
  'NCH Software',
  'nch software',
  'NCH Software, Inc.',
  'NCH Software Pty Ltd (Code Signing)',
  'NCHSoftware',
  'NCH Softwares',
  'NCH_Software',
  'Branch Software',
  'NCHSoftware Pty Ltd',
  'Microsoft Corporation',
  'Microsoft Windows',
  'Google LLC',
  'Mozilla Corporation',
  'Adobe Inc.',
  'Oracle America, Inc.',
  'Zoom Video Communications, Inc.',
  'Dropbox, Inc',
  'Apple Inc.',
  'Intel Corporation',
  'NVIDIA Corporation',
  'Citrix Systems, Inc.',
  'VMware, Inc.',
  'Notepad++',
  'Python Software Foundation',
];

/** mulberry32: the same data on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(random: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, length);
}

/** Writes ROWS rows as JSONL (datetimes with 7 fractional digits, as Defender exports them). */
function writeTelemetry(file: string): void {
  const random = prng(7);
  const devices = Array.from({ length: DEVICES }, (_, k) => ({ id: hex(random, 40), name: `wks-${String(k).padStart(4, '0')}.contoso.local` }));
  const files = Array.from({ length: 20000 }, () => hex(random, 40));
  const fd = openSync(file, 'w');
  const end = NOW.getTime();
  let batch: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const device = devices[Math.floor(random() * DEVICES)];
    const ms = end - 1 - Math.floor(random() * DAYS * 86_400_000);
    const at = `${new Date(ms).toISOString().slice(0, 23)}${String(Math.floor(random() * 10000)).padStart(4, '0')}Z`;
    const signerIndex = Math.floor(random() * SIGNERS.length);
    batch.push(
      JSON.stringify({
        Timestamp: at,
        DeviceId: device.id,
        DeviceName: device.name,
        SHA1: files[Math.floor(random() * files.length)],
        IsSigned: true,
        SignatureType: 'Embedded',
        Signer: SIGNERS[signerIndex],
        SignerHash: `signer-${signerIndex}`,
        Issuer: signerIndex < 10 ? 'DigiCert SHA2 Assured ID Code Signing CA' : 'Microsoft Code Signing PCA 2011',
        IsTrusted: signerIndex % 7 !== 0,
        ReportId: 1000 + i,
      }),
    );
    if (batch.length === 10000) {
      writeSync(fd, `${batch.join('\n')}\n`);
      batch = [];
    }
  }
  if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
  closeSync(fd);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

interface Group {
  count: number;
  first: string;
  last: string;
  reports: string;
}

function groupsOfOurs(result: QueryResult): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const [id, name, first, last, report, count] of result.rows) {
    const reports = (report as number[]).slice().sort((a, b) => a - b).join(',');
    out.set(`${id}|${name}`, { count: count as number, first: first as string, last: last as string, reports });
  }
  return out;
}

async function runDuckDb(file: string): Promise<{ loadMs: number; times: number[]; groups: Map<string, Group> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let started = performance.now();
  await connection.run(
    `CREATE TABLE certs AS SELECT * FROM read_json('${file}', format='newline_delimited', columns=${CERTIFICATE_COLUMNS_SQL})`,
  );
  const loadMs = performance.now() - started;
  const window = [new Date(NOW.getTime() - DAYS * 86_400_000).toISOString(), NOW.toISOString()];
  const times: number[] = [];
  let rows: Array<Record<string, unknown>> = [];
  for (let run = 0; run < RUNS; run++) {
    started = performance.now();
    const reader = await connection.runAndReadAll(HUNT_SQL, window);
    rows = reader.getRowObjects() as Array<Record<string, unknown>>;
    times.push(performance.now() - started);
  }
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const reports = (r.Report as { items: bigint[] }).items.map(Number).sort((a, b) => a - b).join(',');
    groups.set(`${r.DeviceId}|${r.DeviceName}`, {
      count: Number(r.Count),
      first: formatDateTime((r.FirstSeen as bigint) / 100n),
      last: formatDateTime((r.LastSeen as bigint) / 100n),
      reports,
    });
  }
  connection.closeSync();
  instance.closeSync();
  return { loadMs, times, groups };
}

/** Differences between two answers (empty when they agree on every group). */
function compare(ours: Map<string, Group>, theirs: Map<string, Group>): string[] {
  const problems: string[] = [];
  if (ours.size !== theirs.size) problems.push(`group count: ours ${ours.size}, DuckDB ${theirs.size}`);
  for (const [key, g] of ours) {
    const h = theirs.get(key);
    if (!h) problems.push(`group ${key} missing in DuckDB`);
    else if (JSON.stringify(g) !== JSON.stringify(h)) problems.push(`group ${key}: ours ${JSON.stringify(g)} DuckDB ${JSON.stringify(h)}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const file = join(dir, `${TABLE}.jsonl`);
  try {
    let started = performance.now();
    if (!KEEP_DIR || !existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeTelemetry(file);
    }
    const bytes = statSync(file).size;
    console.log(`${ROWS.toLocaleString()} rows, ${(bytes / 1e6).toFixed(0)} MB JSONL (${Math.round(bytes / ROWS)} bytes/row), written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    gc();

    started = performance.now();
    await warmUpKql();
    const warmUpMs = performance.now() - started;

    const rssBefore = process.memoryUsage().rss / 1e6;
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    const db = loadDataFolder(dir);
    const loadMs = performance.now() - started;
    const loadCpu = process.cpuUsage(cpuBefore);
    gc();
    console.log(
      `ours:   load ${loadMs.toFixed(0)} ms wall, ${((loadCpu.user + loadCpu.system) / 1000).toFixed(0)} ms CPU (${(bytes / 1e6 / (loadMs / 1000)).toFixed(0)} MB/s), ` +
        `RSS ${rssBefore.toFixed(0)} -> ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; parser warm-up ${warmUpMs.toFixed(0)} ms`,
    );

    // The load paths side by side: the previous one (above), into shared memory, and from the snapshot.
    const cacheDir = mkdtempSync(join(tmpdir(), 'engine-bench-cache-'));
    const timed = (label: string) => {
      const report: LoadReport = { snapshot: 'none' };
      const cpu = process.cpuUsage();
      const t = performance.now();
      const shared = loadSharedDatabase({ kind: 'folder', dir, cacheDir }, report);
      const wall = performance.now() - t;
      const used = process.cpuUsage(cpu);
      console.log(`ours:   ${label}: ${wall.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU (snapshot ${report.snapshot})`);
      gc();
      return shared;
    };
    timed('load into shared memory + write the snapshot');
    const fromSnapshot = KqlDatabase.fromShared(timed('load from the snapshot'));
    rmSync(cacheDir, { recursive: true, force: true });

    const engine = new KqlEngine(db);
    const times: number[] = [];
    let result: QueryResult | null = null;
    const cpuTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const cpu = process.cpuUsage();
      started = performance.now();
      result = engine.query(HUNT, { now: NOW, limits: BOT_LIMITS });
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    const ours = groupsOfOurs(result!);
    const matched = [...ours.values()].reduce((n, g) => n + g.count, 0);
    const warm = median(times.slice(1));
    console.log(`ours:   hunt first ${times[0].toFixed(0)} ms, median warm ${warm.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')}; median CPU ${median(cpuTimes.slice(1)).toFixed(0)} ms); ${ours.size} groups, ${matched} matched rows`);
    // The same hunt over the snapshot's shared columns (what the bot's workers read) must be as fast.
    const sharedEngine = new KqlEngine(fromSnapshot);
    const sharedTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = performance.now();
      sharedEngine.query(HUNT, { now: NOW, limits: BOT_LIMITS });
      sharedTimes.push(performance.now() - started);
    }
    console.log(`ours:   same hunt over the shared columns from the snapshot: first ${sharedTimes[0].toFixed(0)} ms, median warm ${median(sharedTimes.slice(1)).toFixed(0)} ms (runs: ${sharedTimes.map((t) => t.toFixed(0)).join(', ')})`);
    const ourPeak = peakRssMb();
    console.log(`ours:   peak RSS ${ourPeak.toFixed(0)} MB`);

    const duck = await runDuckDb(file);
    const duckWarm = median(duck.times.slice(1));
    console.log(`DuckDB: load ${duck.loadMs.toFixed(0)} ms, hunt first ${duck.times[0].toFixed(0)} ms, median warm ${duckWarm.toFixed(0)} ms (runs: ${duck.times.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`ratio ours/DuckDB (median warm hunt): ${(warm / duckWarm).toFixed(2)}; load ours/DuckDB: ${(loadMs / duck.loadMs).toFixed(2)}`);
    console.log(`peak RSS of the whole process (after DuckDB too): ${peakRssMb().toFixed(0)} MB`);

    // After the RSS figures, which they would inflate: the first load's parse alone, one pass against chunks on several threads (what the loader thread does on 3+ cores).
    const parseThreads = Math.max(2, Math.min(8, availableParallelism()));
    for (const [label, loader] of [['one thread', undefined], [`${parseThreads} threads, chunked`, parallelKnownTablesLoader({ threads: parseThreads })]] as const) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      openSharedDatabase({ kind: 'folder', dir }, undefined, loader);
      const used = process.cpuUsage(cpu);
      console.log(`ours:   parse into shared memory on ${label} (no snapshot): ${(performance.now() - t).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU (all threads)`);
      gc();
    }

    if (COLD_ROUNDS > 0) {
      const windowStart = new Date(NOW.getTime() - DAYS * 86_400_000);
      printColdStarts(await measureColdStarts({ dir, file, kql: HUNT, now: NOW, windowStart, rounds: COLD_ROUNDS, baselineCli: process.env.BENCH_BASELINE_CLI }), COLD_ROUNDS);
    }

    const problems = compare(ours, duck.groups);
    if (problems.length > 0) {
      console.log(`MISMATCH (${problems.length}):\n${problems.slice(0, 10).join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log(`answers agree: ${ours.size} groups (DeviceId, DeviceName, Count, FirstSeen, LastSeen, set of Report)`);
    }
  } finally {
    if (!KEEP_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
