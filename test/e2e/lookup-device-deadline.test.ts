import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { deviceId, lookupFixtureRows } from '../support/lookup-fixture';
import { completeRow } from '../../src/data/table-rows';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { engineAnswer } from '../fakes/engine-answer';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { sentinelWorkspaceEnv } from '../support/sentinel-workspace-env';

/**
 * `lookup device` against a slow Sentinel workspace with a short HUNT_LOOKUP_DEADLINE_SECONDS: the
 * "RMM tools seen" section starts no signal after the deadline, shows what it found before it, and names
 * exactly the signal kinds and tools it never looked at — never "No catalogued RMM tool seen".
 */
const HOUR = 3_600_000;
const DEVICE = 'fin-ws-001.contoso.local';
const SECTION = 'RMM tools seen (every catalogued signal)';
const DEADLINE_SECONDS = 5;
/** Every combined RMM query after the first is answered this late: past the deadline. */
const SLOW_MS = 8_000;

/** The lookup fixture plus DesktopNow (file signature) and AnyDesk (process) on DEVICE. */
function rows(now: Date): Record<string, Array<Record<string, unknown>>> {
  const tables = lookupFixtureRows(now);
  const at = (hours: number, report: number) => {
    const time = new Date(now.getTime() - hours * HOUR).toISOString();
    return { Timestamp: time, TimeGenerated: time, DeviceId: deviceId(DEVICE), DeviceName: DEVICE, ReportId: report };
  };
  tables.DeviceFileCertificateInfo.push(completeRow('DeviceFileCertificateInfo', { ...at(4, 9001), SHA1: 'd'.repeat(40), Signer: 'NCH Software Pty Ltd', IsSigned: true }));
  tables.DeviceProcessEvents.push(
    completeRow('DeviceProcessEvents', { ...at(3, 9002), ActionType: 'ProcessCreated', FileName: 'AnyDesk.exe', ProcessVersionInfoCompanyName: 'philandro Software GmbH', ProcessVersionInfoProductName: 'AnyDesk' }),
  );
  return tables;
}

describe('lookup device against a slow workspace, with a lookup deadline', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  let arm: FakeWatchlistServer;
  let dir: string;
  const rmmQueries: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-lookup-deadline-'));
    arm = await FakeWatchlistServer.start();
    const engine = engineAnswer({ tables: rows(new Date()), watchlists: () => arm.watchlistSnapshot() });
    la = await FakeLogAnalyticsServer.start({
      answer: async (input) => {
        if (input.query.includes('union batch_hunt_0()')) {
          rmmQueries.push(input.query);
          // The first combined query (the file signature signals) is quick; the workspace then slows down.
          if (rmmQueries.length > 1) await sleep(SLOW_MS);
        }
        return engine(input);
      },
    });
    harness = await BotHarness.start(
      {
        ...sentinelWorkspaceEnv({ logAnalytics: la.endpoint, arm: arm.endpoint }),
        HUNT_LOOKUP_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
        HUNT_STORE_PATH: path.join(dir, 'huntbot.db'),
        HUNT_CACHE_DIR: path.join(dir, 'cache'),
      },
      { credential: new FakeTokenCredential() },
    );
  }, 240_000);

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    await arm?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows what it found before the deadline and names exactly the signal kinds and tools it did not look at', async () => {
    const text = cardText((await harness.huntToResult('lookup device fin-ws-001 7d')).card);
    const section = text.slice(text.indexOf(SECTION));
    // Found before the deadline: the file signature signals were looked at.
    expect(section).toMatch(/DesktopNow — file signature · 1 event · /);
    // The process signals (AnyDesk's among them) come after the slow network batch: never started.
    expect(section).not.toContain('AnyDesk —');
    expect(section).toMatch(
      new RegExp(`Not looked at: the ${DEADLINE_SECONDS} s lookup deadline \\(HUNT_LOOKUP_DEADLINE_SECONDS\\) passed before \\d+ signals of \\d+ could start; what was found before it is shown\\.`),
    );
    expect(section).toMatch(/Not looked at: process signals of all \d+ tools\./);
    expect(section).toMatch(/\d+ of \d+ signals could be checked/);
    expect(section).not.toContain('No catalogued RMM tool seen on this device');
    // No query for the signals it names as not looked at was ever sent.
    expect(rmmQueries.length).toBeLessThanOrEqual(2);
    for (const query of rmmQueries) expect(query).not.toContain('DeviceProcessEvents');
  }, 240_000);
});
