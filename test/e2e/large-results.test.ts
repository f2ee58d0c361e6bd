import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { cardBytes } from '../../src/cards/card-templates';

const DEVICES = 5000;

describe('a hunt that hits 5,000 devices', () => {
  let harness: BotHarness;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-large-'));
    const now = Date.now();
    const lines: string[] = [];
    for (let i = 0; i < DEVICES; i++) {
      // Names carry markdown and template syntax: they must come back literally on every page.
      const name = `ws-${String(i).padStart(4, '0')}-**x**-\${runId}.contoso.local`;
      lines.push(JSON.stringify(certRow(`dev-${i}`, name, 'NCH Software Pty Ltd', new Date(now - (i % 100) * 60_000 - 60_000), i)));
    }
    fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), lines.join('\n'));
    harness = await BotHarness.start({
      HUNT_DATA_DIR: dir,
      HUNT_STORE_PATH: path.join(dir, 'huntbot.db'),
      // 417 page presses in a few seconds is a script, not a person: lift the per-person rate limit.
      HUNT_MESSAGES_PER_MINUTE: '100000',
      HUNT_MESSAGE_BURST: '1000',
    });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pages through every device exactly once, each page under 25 KB, changing only the clicker’s view', async () => {
    await harness.say('hunt rmm desktopnow 5d');
    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)))!;
    await harness.app.runs.idle();
    const shared = harness.card(running.id)!;
    expect(cardText(shared)).toContain(`of ${DEVICES} (page 1 of 417)`);
    expect(cardBytes(shared)).toBeLessThanOrEqual(25_000);

    const runId = /"verb":"results\.page","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(shared))![1];
    const seen = new Set<string>();
    const sizes: number[] = [];
    const updatesBefore = harness.connector.requests.filter((r) => r.method === 'PUT').length;
    for (let page = 0; page < 417; page++) {
      const response = await harness.execute(running.id, 'results.page', { runId, page });
      const card = (response.body as { value: Record<string, unknown> }).value;
      sizes.push(cardBytes(card));
      for (const match of cardText(card).matchAll(/ws-(\d{4})-\*\*x\*\*-\$\{runId\}\.contoso\.local/g)) seen.add(match[1]);
    }
    expect(seen.size).toBe(DEVICES);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25_000);
    // Paging answers the clicker only: the shared message is not edited.
    expect(harness.connector.requests.filter((r) => r.method === 'PUT').length).toBe(updatesBefore);
  });
});
