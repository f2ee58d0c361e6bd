import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { isRunningCard } from '../../src/cli/chat/card-text';

const SUMMARY = 'summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName';

/** A hunt file a careless (or hostile) author could drop into HUNTS_DIR. */
function huntFile(id: string, tool: string, body: string): string {
  const query = ['let Time_start = {{TimeStart}};', 'let Time_end = {{TimeEnd}};', 'DeviceProcessEvents', '| where Timestamp between (Time_start .. Time_end)', body, `| ${SUMMARY}`];
  return `id: ${id}
name: Runaway ${tool}
description: A hunt whose query runs away.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes: [DeviceProcessEvents]
tactics: [CommandAndControl]
relevantTechniques: [T1219]
family: rmm
tool: ${tool}
toolName: Runaway ${tool}
kind: process
query: |
${query.join('\n').split('\n').map((line) => `  ${line}`).join('\n')}
`;
}

/** 60 process events on each of two devices, and one file name that makes `(a+)+$` backtrack for hours. */
function processEvents(now: number): string {
  const rows: Array<Record<string, unknown>> = [];
  for (const device of ['dev-p1', 'dev-p2']) {
    for (let k = 0; k < 60; k++) {
      rows.push({
        Timestamp: new Date(now - (k + 1) * 60_000).toISOString(),
        DeviceId: device,
        DeviceName: `${device}.contoso.local`,
        FileName: k === 0 ? `${'a'.repeat(40)}!` : `tool-${k % 5}.exe`,
        ReportId: k,
      });
    }
  }
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

describe('a runaway hunt in a Teams channel, over HTTP', () => {
  let harness: BotHarness;
  let huntsDir: string;
  let data: { dir: string; expectedDevices: string[] };

  beforeAll(async () => {
    huntsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runaway-hunts-'));
    // Two self-joins on DeviceId: 7,200 rows, then 432,000 (past the budget), then 26 million.
    fs.writeFileSync(
      path.join(huntsDir, 'selfjoin.yaml'),
      huntFile('0d3c5a8e-2f4b-4c6d-9e1f-3a5b7c9d1e2f', 'selfjoin', '| join kind=inner (DeviceProcessEvents) on DeviceId\n| join kind=inner (DeviceProcessEvents) on DeviceId'),
    );
    fs.writeFileSync(path.join(huntsDir, 'backtrack.yaml'), huntFile('6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d', 'backtrack', "| where FileName matches regex '(a+)+$'"));
    data = writeDesktopNowDataFolder(new Date());
    fs.writeFileSync(path.join(data.dir, 'DeviceProcessEvents.jsonl'), processEvents(Date.now()));
    harness = await BotHarness.start({
      HUNT_DATA_DIR: data.dir,
      HUNT_STORE_PATH: path.join(data.dir, 'huntbot.db'),
      HUNTS_DIR: huntsDir,
      // One engine worker: the next hunt can only be answered if the stuck one is replaced.
      HUNT_ENGINE_WORKERS: '1',
      HUNT_ENGINE_MAX_ROWS: '100000',
      HUNT_QUERY_TIMEOUT_SECONDS: '2',
    });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(huntsDir, { recursive: true, force: true });
    if (data) fs.rmSync(data.dir, { recursive: true, force: true });
  });

  /** Says `command`, waits for the run, and returns what its (updated) card says. */
  async function huntCard(command: string): Promise<string> {
    const before = new Set(harness.sent().map((a) => a.id));
    await harness.say(command);
    const running = harness.sent().find((a) => !before.has(a.id) && isRunningCard(harness.card(a.id)));
    expect(running).toBeDefined();
    await harness.app.runs.idle();
    return cardText(harness.card(running!.id));
  }

  it('fails the self-join hunt with a card naming the join and the setting, and keeps answering', async () => {
    const rssBefore = process.memoryUsage().rss;
    const text = await huntCard('hunt rmm selfjoin 5d');
    // The bot and its worker share this process: the runaway never got near the memory it wanted.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 2 ** 20);
    expect(text).toMatch(/The join at line \d+, column \d+ produced more than 100,000 rows \(HUNT_ENGINE_MAX_ROWS\), so the query was stopped\./);
    expect(text).toContain('Try a shorter window');
    const health = await fetch(`${harness.app.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('fails the hunt that never ends with a timeout card once the time is up, and replaces the engine worker', async () => {
    const started = performance.now();
    const text = await huntCard('hunt rmm backtrack 5d');
    expect(text).toContain('The query ran longer than the 2 s the embedded engine allows (HUNT_QUERY_TIMEOUT_SECONDS); the engine worker evaluating it was stopped and replaced.');
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('answers the next hunt normally', async () => {
    const text = await huntCard('hunt rmm desktopnow 5d');
    for (const device of data.expectedDevices) expect(text).toContain(device);
  });
});
