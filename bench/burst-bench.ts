/**
 * Single-user burst benchmark (npm run bench:burst): the real bot process on the embedded engine
 * (generated sample telemetry), one person posting BENCH_BURST (300) distinct hunts at once in one
 * conversation, replies and card updates landing on a local connector. Prints, per run: what the
 * bot did with the messages (started, refused by the queue cap, skipped by the rate limit), card
 * writes (PUTs) per started hunt, turn errors, and /healthz availability while the burst is handled
 * (fraction of probes answered within BENCH_PROBE_TIMEOUT_MS, p50 and max latency, over at least BENCH_PROBE_WINDOW_MS).
 *
 * BENCH_BOT=<path to dist/src/index.js> measures another build (e.g. an older one) with the same burst.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cardOf, isRunningCard } from '../src/cli/chat/card-text';
import { LocalConnector } from '../src/cli/chat/connector-server';
import { defaultIdentity, mentionMessage, postActivity } from '../src/cli/chat/teams-activity';
import { waitForHealthyBot } from './bot-process';

const BURST = Number(process.env.BENCH_BURST ?? 300);
const PORT = Number(process.env.BENCH_PORT ?? 3992);
const BOT = process.env.BENCH_BOT ?? path.join(__dirname, '..', 'src', 'index.js');
const PROBE_EVERY_MS = 100;
const PROBE_TIMEOUT_MS = Number(process.env.BENCH_PROBE_TIMEOUT_MS ?? 2000);
/** How long to wait for every started hunt's result card before giving up on the run. */
const SETTLE_TIMEOUT_MS = Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 180_000);
/** /healthz is probed at least this long from the first message, so a quick recovery and a slow one are compared over the same span. */
const PROBE_WINDOW_MS = Number(process.env.BENCH_PROBE_WINDOW_MS ?? 30_000);

async function startBot(env: Record<string, string>, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BOT], {
    env: { ...process.env, PORT: String(PORT), HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: path.join(dir, 'cache'), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  return waitForHealthyBot(child, PORT);
}

async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function probeHealth() {
  const latencies: number[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`http://127.0.0.1:${PORT}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - started);
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      probes: latencies.length + failed,
      answered: latencies.length,
      p50Ms: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      maxMs: sorted[sorted.length - 1] ?? NaN,
    };
  };
}

async function burst(label: string, env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-burstbench-'));
  const connector = await new LocalConnector().start();
  const bot = await startBot(env, dir);
  const identity = { ...defaultIdentity('Flooder'), userId: '29:flooder', aadObjectId: '00000000-0000-0000-0000-00000000f100' };
  try {
    const stopProbing = probeHealth();
    const started = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        postActivity(`http://127.0.0.1:${PORT}/api/messages`, mentionMessage(identity, connector.url, `hunt rmm desktopnow ${(i % 720) + 1}h`)).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    const turnsMs = performance.now() - started;

    // Done when every started hunt's card holds its result (or the settle timeout passes).
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const runningCards = () => connector.events.filter((e) => e.operation === 'send' && isRunningCard(cardOf(e.activity))).map((e) => e.id);
    const unsettled = () => runningCards().filter((id) => isRunningCard(cardOf(connector.activities.get(id)!.activity)));
    while (unsettled().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const settledMs = performance.now() - started;
    const rest = PROBE_WINDOW_MS - (performance.now() - started);
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    const health = await stopProbing();

    const startedHunts = runningCards();
    const texts = connector.events.filter((e) => e.operation === 'send').map((e) => String(e.activity.text ?? ''));
    const puts = connector.requests.filter((r) => r.method === 'PUT').length;
    const putsPerHunt = startedHunts.map((id) => connector.events.filter((e) => e.operation === 'update' && e.id === id).length);
    return {
      label,
      started: startedHunts.length,
      unsettled: unsettled().length,
      refusedByQueueCap: texts.filter((t) => t.includes('hunts waiting or running')).length,
      rateLimitNotices: texts.filter((t) => t.includes('faster than I can answer')).length,
      turnErrors: texts.filter((t) => t.includes('something went wrong')).length,
      httpNot200: statuses.filter((s) => s !== 200).length,
      puts,
      putsPerHuntMax: Math.max(0, ...putsPerHunt),
      putsPerHuntMean: putsPerHunt.length ? puts / putsPerHunt.length : 0,
      turnsMs,
      settledMs,
      health,
    };
  } finally {
    await stopBot(bot);
    await connector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => (Number.isNaN(n) ? '—' : n.toFixed(digits));

async function main(): Promise<void> {
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log(`Bot: ${BOT}; one person posts ${BURST} distinct hunts (hunt rmm desktopnow 1h, 2h, …) at once in one conversation.`);
  const results = [];
  results.push(await burst('defaults', {}));
  if (!process.env.BENCH_ONLY_DEFAULTS) {
    // The queue cap alone: the rate limit lifted, so every message is handled.
    results.push(await burst('rate limit lifted', { HUNT_MESSAGES_PER_MINUTE: '1000000', HUNT_MESSAGE_BURST: '1000000' }));
  }
  console.log('');
  console.log('| settings | hunts started | refused (queue cap) | rate-limit notices | turn errors | card PUTs | PUTs per started hunt (mean / max) | /healthz answered | /healthz p50 / max | all turns answered in | all results in |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.started}${r.unsettled ? ` (${r.unsettled} unfinished)` : ''} | ${r.refusedByQueueCap} | ${r.rateLimitNotices} | ${r.turnErrors} | ${r.puts} | ${fmt(r.putsPerHuntMean, 2)} / ${r.putsPerHuntMax} | ${r.health.answered}/${r.health.probes} (${fmt((100 * r.health.answered) / Math.max(1, r.health.probes), 1)} %) | ${fmt(r.health.p50Ms)} ms / ${fmt(r.health.maxMs)} ms | ${fmt(r.turnsMs / 1000, 1)} s | ${fmt(r.settledMs / 1000, 1)} s |`,
    );
  }
  console.log('');
  console.log(
    `/healthz probed every ${PROBE_EVERY_MS} ms from the first message until every started hunt had its result (at least ${PROBE_WINDOW_MS / 1000} s); a probe not answered within ${PROBE_TIMEOUT_MS} ms counts as failed.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
