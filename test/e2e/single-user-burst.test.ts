import * as fs from 'node:fs';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const alice: ChatIdentity = { ...defaultIdentity('Alice'), userId: '29:alice', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
const BURST = 300;
const MAX_QUEUED = 5;

/** Probes /healthz until stopped; every probe must answer. */
function probeHealth(url: string) {
  const latencies: number[] = [];
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
        await response.json();
        if (response.status === 200) latencies.push(performance.now() - started);
        else failures++;
      } catch {
        failures++;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { answered: latencies.length, failures, maxMs: Math.max(...latencies) };
    },
  };
}

/** One person posting hundreds of distinct hunts at once against a Sentinel workspace (a local Log Analytics server). */
describe(`one person posting ${BURST} distinct hunts at once`, () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;

  beforeAll(async () => {
    const rows = [0, 1].map((d) => certRow(`dev-${d}`, `ws-${d}.contoso.local`, 'NCH Software Pty Ltd', new Date(Date.now() - 3_600_000 * (d + 1)), d));
    la = await FakeLogAnalyticsServer.start({ dataset: { tables: { DeviceFileCertificateInfo: rows } } });
    harness = await BotHarness.start(
      {
        SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555',
        LOG_ANALYTICS_ENDPOINT: la.endpoint,
        HUNT_STORE_PATH: `/tmp/huntbot-burst-${process.pid}.db`,
        // One query at a time, so admitted hunts really wait in line and their cards show it.
        HUNT_MAX_CONCURRENT_QUERIES: '1',
        // The message rate limit is tested on its own; here the queue cap is what must hold.
        HUNT_MESSAGES_PER_MINUTE: '100000',
        HUNT_MESSAGE_BURST: '100000',
      },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-burst-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
  });

  it(`never has more than ${MAX_QUEUED} of them in progress, refuses the rest politely, keeps every card to at most 4 writes, and /healthz answers throughout`, async () => {
    const before = harness.sent().length;
    const eventsBefore = harness.connector.events.length;
    const queriesBefore = la.requests.length;
    // Every query takes a while, so hunts are still in progress while the burst arrives (on a slow machine too).
    for (let i = 0; i < BURST; i++) la.enqueue({ kind: 'slow', delayMs: 400 });
    const health = probeHealth(harness.app.url);

    const burst = Promise.all(Array.from({ length: BURST }, (_, i) => harness.say(`hunt rmm desktopnow ${i + 1}h`, alice)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 90m: no window of Alice's (whole hours) can equal it, so Bob's hunt never joins one of hers.
    const bobsTurn = harness.say('hunt rmm desktopnow 90m', bob);
    const responses = [...(await burst), await bobsTurn];
    expect(responses.every((r) => r.status === 200)).toBe(true);

    const sent = harness.sent().slice(before);
    const running = sent.filter((a) => isRunningCard(cardOf(a.activity)));
    const alicesCards = running.filter((a) => cardText(cardOf(a.activity)).includes('Requested by Alice'));
    const refusals = sent.map((a) => a.activity.text).filter((t): t is string => typeof t === 'string');
    expect(alicesCards.length).toBeGreaterThanOrEqual(MAX_QUEUED);
    expect(alicesCards.length + refusals.length).toBe(BURST);
    expect(refusals.length).toBeGreaterThan(BURST / 2);
    for (const text of refusals) {
      expect(text).toContain(`You already have ${MAX_QUEUED} hunts waiting or running`);
      expect(text).toMatch(/Wait for one to finish.*Cancel/);
    }
    expect(running.filter((a) => cardText(cardOf(a.activity)).includes('Requested by Bob'))).toHaveLength(1);

    await harness.app.runs.idle();
    const report = await health.stop();
    expect(report.failures).toBe(0);
    expect(report.answered).toBeGreaterThan(10);
    expect(report.maxMs).toBeLessThan(5000);

    // In the order the connector saw them, Alice never had more than the cap of cards waiting for their result.
    const alices = new Set(alicesCards.map((a) => a.id));
    let open = 0;
    let mostOpen = 0;
    for (const event of harness.connector.events.slice(eventsBefore)) {
      if (!alices.has(event.id)) continue;
      if (event.operation === 'send') open++;
      else if (!isRunningCard(cardOf(event.activity))) open--;
      mostOpen = Math.max(mostOpen, open);
    }
    expect(mostOpen).toBeLessThanOrEqual(MAX_QUEUED);

    // Refused hunts never reach the workspace.
    expect(la.requests.length - queriesBefore).toBe(running.length);
    for (const card of running) {
      const writes = harness.connector.events.filter((e) => e.operation === 'update' && e.id === card.id);
      expect(writes.length).toBeGreaterThanOrEqual(1);
      expect(writes.length).toBeLessThanOrEqual(4);
      expect(isRunningCard(cardOf(writes[writes.length - 1].activity))).toBe(false);
      expect(cardText(harness.card(card.id))).not.toContain('Hunt failed');
    }
    // At least one card waited in line and said so before its result replaced it.
    const queuedUpdates = harness.connector.events.filter((e) => e.operation === 'update' && cardText(cardOf(e.activity)).includes('in line'));
    expect(queuedUpdates.length).toBeGreaterThan(0);

    // Once they finished, the person may hunt again.
    const again = harness.sent().length;
    await harness.say('hunt rmm desktopnow 3d', alice);
    expect(harness.sent().slice(again).some((a) => isRunningCard(cardOf(a.activity)))).toBe(true);
    await harness.app.runs.idle();
  });
});
