/**
 * Bot load benchmark (npm run bench:bot): the real bot process on the embedded engine over 1,000,000
 * generated DeviceFileCertificateInfo rows, driven over HTTP by 1, 10 and 50 concurrent conversations
 * as Teams would, with its replies landing on a local connector. Prints, per level, time to the running
 * card and to the final card, hunts per second, errors and the bot's peak RSS; the bot's overhead
 * over the bare engine running the same hunt in this process; and, per level, what each hunt cost the
 * bot's own event loop after the engine answered (result shaping, tag view, storing the run, card
 * render, card PUT), from the phase totals the bot keeps on /healthz.
 *
 * BENCH_BASELINE_BOT=<another build's dist/src/index.js> runs every level on that build too, alternating which
 * build goes first, each level on a freshly started bot, so both see the same machine load. Before the timed
 * levels, one untimed burst against a throwaway bot prepares the bench's own side (see main).
 * BENCH_DATA_DIR reuses (and keeps) a generated data folder; BENCH_BOT_NODE_ARGS passes flags to the bot
 * processes (e.g. `--cpu-prof --cpu-prof-dir=bench/out/prof`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cardOf, isRunningCard } from '../src/cli/chat/card-text';
import { LocalConnector, type ConnectorActivity } from '../src/cli/chat/connector-server';
import { defaultIdentity, mentionMessage, postActivity } from '../src/cli/chat/teams-activity';
import { genDataCommand } from '../src/cli/gen-data-command';
import { HuntCatalog } from '../src/hunts/catalog';
import { renderHuntQuery } from '../src/hunts/render';
import { loadDataFolder } from '../src/data/jsonl';
import { KqlEngine, warmUpKql } from '../src/kql';
import { waitForHealthyBot } from './bot-process';
import { HUNT_PHASES, type HuntPhase, type PhaseTotals } from '../src/runs/phase-stats';
import { printBotMemory, processTree, processTreeMemory, readIfRunning } from './bot-rss';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const LEVELS = (process.env.BENCH_LEVELS ?? '1,10,50').split(',').map(Number);
const HUNTS_PER_CONVERSATION = Number(process.env.BENCH_HUNTS ?? 3);
const PORT = 3991;
const FINAL_TIMEOUT_MS = 300_000;
const WINDOW_DAYS = 5;
/** BENCH_RSS=0 skips the peak-RSS-by-workers table (six bot starts over the million rows). */
const RSS = process.env.BENCH_RSS !== '0';
const BASELINE_BOT = process.env.BENCH_BASELINE_BOT;
const BOT_NODE_ARGS = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
const OUR_BOT = path.join(__dirname, '..', 'src', 'index.js');
/** BENCH_MIXES=identical (or distinct) runs one mix only. */
const MIXES = (process.env.BENCH_MIXES ?? 'identical,distinct').split(',');

interface Sample {
  /** Which of the conversation's hunts (0 = the first, sent by every conversation at once). */
  index: number;
  /** When it was sent (performance.now()): a later hunt goes out when the conversation's previous result lands. */
  sentAt: number;
  toRunningMs: number;
  toFinalMs: number;
  ok: boolean;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const median = (values: number[]) => percentile(values, 50);
const spread = (values: number[]) => (values.length === 0 ? NaN : Math.max(...values) - Math.min(...values));
const ms = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} ms`);

/**
 * CPU time (user + system, all threads) the bot and the processes it started (its Kusto parser's) have
 * used, in ms: unlike wall times, barely moved by other processes' load.
 */
function cpuMs(pid: number): number {
  let total = 0;
  for (const each of processTree(pid)) {
    const stat = readIfRunning(`/proc/${each}/stat`);
    // One that ended since it was listed: its time is no longer counted anywhere.
    if (stat === '') continue;
    const fields = stat.split(') ')[1].split(' ');
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  }
  return total;
}

/** The bot's peak RSS plus its parser process's (see processTreeMemory). */
function peakRssMb(pid: number): number {
  return processTreeMemory(pid).peakRssMb;
}

async function startBot(entry: string, dataDir: string, ttlSeconds: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...BOT_NODE_ARGS, entry], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HUNT_DATA_DIR: dataDir,
      HUNT_STORE_PATH: path.join(dataDir, 'huntbot.db'),
      HUNT_RESULT_TTL_SECONDS: String(ttlSeconds),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return waitForHealthyBot(child, PORT);
}

async function stopBot(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

type Phases = Record<HuntPhase, PhaseTotals>;

interface Health {
  backendRuns: number;
  phases: Phases;
  eventLoop: { activeMs: number; idleMs: number };
}

async function health(): Promise<Health> {
  return (await (await fetch(`http://127.0.0.1:${PORT}/healthz`)).json()) as Health;
}

/** What the hunts of one level added to each phase: mean per hunt, and the total in ms of the level. */
function phaseSplit(before: Phases, after: Phases): Record<HuntPhase, { meanMs: number; totalMs: number; maxMs: number }> {
  return Object.fromEntries(
    HUNT_PHASES.map((phase) => {
      // An older build (BENCH_BASELINE_BOT) does not time every phase.
      if (!after[phase] || !before[phase]) return [phase, { meanMs: NaN, totalMs: 0, maxMs: NaN }];
      const count = after[phase].count - before[phase].count;
      const totalMs = after[phase].totalMs - before[phase].totalMs;
      // The bot keeps a running maximum; it is this level's only if the level raised it.
      const maxMs = after[phase].maxMs > before[phase].maxMs ? after[phase].maxMs : NaN;
      return [phase, { meanMs: count > 0 ? totalMs / count : NaN, totalMs, maxMs }];
    }),
  ) as Record<HuntPhase, { meanMs: number; totalMs: number; maxMs: number }>;
}

const PHASE_LABELS: Record<HuntPhase, string> = {
  turn: 'request in → running card posted (bot side, wall)',
  begin: 'store the running run (turn)',
  reply: 'post the running card (turn, wall)',
  shape: 'result shaping (sync)',
  tags: 'tag view (SQLite read + split)',
  save: 'store the run',
  render: 'card render (sync)',
  put: 'card PUT (wall, queue incl.)',
};

/** One conversation: `hunts` hunts one after another, each timed to its running card and its final card. */
async function conversation(connector: LocalConnector, index: number, hunts: number, text: (i: number) => string): Promise<Sample[]> {
  const identity = {
    ...defaultIdentity(`Responder ${index}`),
    userId: `29:bench-${index}`,
    aadObjectId: randomUUID(),
    conversationId: `19:bench-${index}-${randomUUID()}@thread.tacv2`,
  };
  const samples: Sample[] = [];
  for (let i = 0; i < hunts; i++) {
    const started = performance.now();
    let runningAt = NaN;
    let runningId: string | undefined;
    const final = new Promise<ConnectorActivity | undefined>((resolve) => {
      const timer = setTimeout(() => {
        connector.off('activity', listener);
        resolve(undefined);
      }, FINAL_TIMEOUT_MS);
      const listener = (event: ConnectorActivity) => {
        if (event.conversationId !== identity.conversationId) return;
        if (event.operation === 'send' && isRunningCard(cardOf(event.activity))) {
          runningAt = performance.now();
          runningId = event.id;
        } else if (event.operation === 'update' && event.id === runningId && !isRunningCard(cardOf(event.activity))) {
          clearTimeout(timer);
          connector.off('activity', listener);
          resolve(event);
        }
      };
      connector.on('activity', listener);
    });
    const response = await postActivity(`http://127.0.0.1:${PORT}/api/messages`, mentionMessage(identity, connector.url, text(i)));
    const done = await final;
    const failed = !done || JSON.stringify(done.activity).includes('Hunt failed');
    samples.push({ index: i, sentAt: started, toRunningMs: runningAt - started, toFinalMs: performance.now() - started, ok: response.status === 200 && !failed });
  }
  return samples;
}

async function level(connector: LocalConnector, conversations: number, text: (conversation: number, i: number) => string, botPid?: number) {
  const before = await health();
  const cpuBefore = botPid ? cpuMs(botPid) : NaN;
  const requestsBefore = connector.requests.length;
  const started = performance.now();
  const all = (
    await Promise.all(Array.from({ length: conversations }, (_, c) => conversation(connector, c, HUNTS_PER_CONVERSATION, (i) => text(c, i))))
  ).flat();
  const wallS = (performance.now() - started) / 1000;
  const after = await health();
  const botCpuMs = botPid ? cpuMs(botPid) - cpuBefore : NaN;
  const ok = all.filter((s) => s.ok);
  const calls = connector.requests.slice(requestsBefore);
  return {
    // What the level cost Teams: messages posted and cards updated (a waiting card's place in line is an update too).
    connectorCalls: { posts: calls.filter((r) => r.method === 'POST').length, updates: calls.filter((r) => r.method === 'PUT').length },
    conversations,
    hunts: all.length,
    errors: all.length - ok.length,
    running: { p50: median(ok.map((s) => s.toRunningMs)), p99: percentile(ok.map((s) => s.toRunningMs), 99) },
    // The running card's p99 per wave: the first hunts all arrive at once, later ones as each conversation's previous result lands.
    runningByWave: Array.from({ length: HUNTS_PER_CONVERSATION }, (_, i) => percentile(ok.filter((s) => s.index === i).map((s) => s.toRunningMs), 99)),
    // How far apart each wave's hunts were sent: only the first wave is one instant; later ones follow the results.
    sendSpreadByWave: Array.from({ length: HUNTS_PER_CONVERSATION }, (_, i) => spread(all.filter((s) => s.index === i).map((s) => s.sentAt))),
    final: { p50: median(ok.map((s) => s.toFinalMs)), p99: percentile(ok.map((s) => s.toFinalMs), 99) },
    huntsPerSecond: all.length / wallS,
    wallMs: wallS * 1000,
    backendRuns: after.backendRuns - before.backendRuns,
    phases: phaseSplit(before.phases, after.phases),
    loopActiveMs: after.eventLoop.activeMs - before.eventLoop.activeMs,
    botCpuPerHuntMs: botCpuMs / all.length,
  };
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

async function main(): Promise<void> {
  const keepData = process.env.BENCH_DATA_DIR !== undefined;
  const dataDir = process.env.BENCH_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-botbench-'));
  const io = { out: () => undefined, err: (line: string) => process.stderr.write(`${line}\n`) };
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadAverage()}`);
  if (!keepData || !fs.existsSync(path.join(dataDir, 'DeviceFileCertificateInfo.jsonl'))) {
    console.log(`Generating ${ROWS.toLocaleString('en')} DeviceFileCertificateInfo rows…`);
    fs.mkdirSync(dataDir, { recursive: true });
    const code = await genDataCommand(['--out', dataDir, '--rows', String(ROWS), '--tables', 'DeviceFileCertificateInfo', '--seed', '7'], io);
    if (code !== 0) throw new Error('gen-data failed');
  }

  // Baseline: the bare engine running the bot's own rendered DesktopNow hunt, in this process.
  await warmUpKql();
  const database = loadDataFolder(dataDir);
  const resolution = HuntCatalog.load().catalog.resolve('rmm', 'desktopnow');
  if (!resolution.ok) throw new Error(resolution.message);
  const end = new Date();
  const kql = renderHuntQuery(resolution.hunts[0], { window: { start: new Date(end.getTime() - WINDOW_DAYS * 86_400_000), end } });
  const engine = new KqlEngine(database);
  const engineTimes: number[] = [];
  let devices = 0;
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    devices = engine.query(kql, { now: end }).rows.length;
    engineTimes.push(performance.now() - t);
  }
  const engineMedian = median(engineTimes.slice(2));
  console.log(`Bare engine, DesktopNow hunt over ${ROWS.toLocaleString('en')} rows: median ${ms(engineMedian)} (${devices} devices)`);

  const connector = await new LocalConnector().start();
  // Every simulated conversation listens for its own cards.
  connector.setMaxListeners(0);
  try {
    // Overhead: one conversation, sequential identical hunts, result reuse off so every hunt hits the engine.
    let bot = await startBot(OUR_BOT, dataDir, 0);
    const single = await level(connector, 1, () => `hunt rmm desktopnow ${WINDOW_DAYS}d`);
    await stopBot(bot);
    const overheadMs = single.final.p50 - engineMedian;

    // The bench's own side of a burst (50 new connections, listeners, card parsing) is new code to this
    // process too: its first burst costs it several times the CPU of later ones, on the same two cores as
    // the bot, and only the build that happens to go first would pay for it. One untimed burst against a
    // throwaway bot prepares the bench's side; every timed level below still starts a fresh bot.
    const largest = Math.max(...LEVELS);
    if (largest > 1) {
      bot = await startBot(OUR_BOT, dataDir, 60);
      await level(connector, largest, () => `hunt rmm desktopnow ${WINDOW_DAYS + 1}d`);
      await stopBot(bot);
    }

    // Load: N conversations at once; identical hunts (all DesktopNow 5d) and distinct ones (each its own window),
    // each level on a freshly started bot, so nothing comes from the previous level's cached results.
    const builds = [{ name: 'this build', entry: OUR_BOT }, ...(BASELINE_BOT ? [{ name: 'baseline', entry: BASELINE_BOT }] : [])];
    const rows: Array<Awaited<ReturnType<typeof level>> & { mix: string; build: string; load: string }> = [];
    let rss = 0;
    for (const [index, conversations] of LEVELS.entries()) {
      for (const build of index % 2 === 0 ? builds : [...builds].reverse()) {
        bot = await startBot(build.entry, dataDir, 60);
        // A bot left running would hold the port for the next start.
        const running = bot;
        process.once('exit', () => running.kill());
        const window = `${(conversations % 25) + 2}d`;
        const load = loadAverage().split(' / ')[0];
        if (MIXES.includes('identical')) {
          rows.push({ build: build.name, load, mix: 'identical', ...(await level(connector, conversations, () => `hunt rmm desktopnow ${window}`, bot.pid)) });
        }
        if (MIXES.includes('distinct')) {
          const text = (c: number, i: number) => `hunt rmm desktopnow ${((c * HUNTS_PER_CONVERSATION + i) % 720) + 1}h`;
          rows.push({ build: build.name, load, mix: 'distinct', ...(await level(connector, conversations, text, bot.pid)) });
        }
        if (build.entry === OUR_BOT) rss = Math.max(rss, peakRssMb(bot.pid!));
        await stopBot(bot);
      }
    }

    console.log('');
    console.log('| conversations | hunts | mix | build | running card p50 / p99 | final card p50 / p99 | hunts/s | backend runs | errors | load (1 min) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      console.log(
        `| ${r.conversations} | ${r.hunts} | ${r.mix} | ${r.build} | ${ms(r.running.p50)} / ${ms(r.running.p99)} | ${ms(r.final.p50)} / ${ms(r.final.p99)} | ${r.huntsPerSecond.toFixed(1)} | ${r.backendRuns} | ${r.errors} | ${r.load} |`,
      );
    }
    console.log('');
    console.log("Running card p99 by wave (each conversation's 1st, 2nd, … hunt; in brackets, the time between the wave's first and last send):");
    for (const r of rows) {
      console.log(
        `- ${r.conversations} conversations, ${r.mix}, ${r.build}: ${r.runningByWave.map(ms).join(' / ')} (sent within ${r.sendSpreadByWave.map(ms).join(' / ')}); bot CPU per hunt (all threads) ${ms(r.botCpuPerHuntMs)}; connector calls ${r.connectorCalls.posts} posts, ${r.connectorCalls.updates} updates`,
      );
    }
    console.log('');
    console.log(
      "The bot's own work per hunt after the engine answered: mean per hunt (the level's max). Loop busy = the bot's main event loop's active time over the level's wall time; phases' share = (shaping + tag view + render) over that active time (the tag view is timed as wall time, so an upper bound):",
    );
    console.log('');
    console.log(`| conversations | mix | build | ${HUNT_PHASES.map((p) => PHASE_LABELS[p]).join(' | ')} | loop busy | phases' share |`);
    console.log(`|---|---|---|${HUNT_PHASES.map(() => '---').join('|')}|---|---|`);
    for (const r of rows) {
      const cells = HUNT_PHASES.map((p) => `${ms(r.phases[p].meanMs)}${Number.isNaN(r.phases[p].maxMs) ? '' : ` (${ms(r.phases[p].maxMs)})`}`);
      const syncMs = r.phases.shape.totalMs + r.phases.tags.totalMs + r.phases.render.totalMs;
      const busy = `${ms(r.loopActiveMs)} of ${ms(r.wallMs)} (${((r.loopActiveMs / r.wallMs) * 100).toFixed(0)} %)`;
      console.log(`| ${r.conversations} | ${r.mix} | ${r.build} | ${cells.join(' | ')} | ${busy} | ${((syncMs / r.loopActiveMs) * 100).toFixed(1)} % |`);
    }
    console.log('');
    console.log(`Bot peak RSS (VmHWM, plus its parser process's): ${rss.toFixed(0)} MB`);
    console.log(
      `Overhead at 1 conversation: final card p50 ${ms(single.final.p50)} vs bare engine ${ms(engineMedian)} → +${ms(overheadMs)} (${((overheadMs / engineMedian) * 100).toFixed(0)} % of the engine time)`,
    );
    if (RSS) await printBotMemory({ dataDir, rows: ROWS, port: PORT, botEntry: OUR_BOT, baselineEntry: BASELINE_BOT });
  } finally {
    await connector.stop();
    if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
