import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { actionData, type Card } from '../support/card-actions';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';

const DEVICES = 20;

describe('coming back from the tag form, over HTTP', () => {
  let harness: BotHarness;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-back-'));
    const now = Date.now();
    const lines = Array.from({ length: DEVICES }, (_, i) =>
      JSON.stringify(certRow(`dev-${i}`, `ws-${String(i).padStart(2, '0')}.contoso.local`, 'NCH Software Pty Ltd', new Date(now - (i + 1) * 60_000), i)),
    );
    fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), lines.join('\n'));
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db') });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const press = async (messageId: string, verb: string, data: Record<string, unknown>): Promise<Card> => {
    const response = await harness.execute(messageId, verb, data);
    expect(response.status).toBe(200);
    return (response.body as { value: Card }).value;
  };

  it('returns to the page the form was opened from, and saving stays on that page too', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d');
    expect(cardText(card)).toContain('(page 1 of 2)');

    const second = await press(messageId, 'results.page', actionData(card, 'results.page'));
    expect(cardText(second)).toContain('(page 2 of 2)');
    const onSecondPage = actionData(second, 'hit.tag');

    const form = await press(messageId, 'hit.tag', onSecondPage);
    const back = await press(messageId, 'results.page', actionData(form, 'results.page'));
    expect(cardText(back)).toContain('(page 2 of 2)');

    const againForm = await press(messageId, 'hit.tag', onSecondPage);
    const saved = await press(messageId, 'hit.tag.save', { ...actionData(againForm, 'hit.tag.save'), scenario: 'backup-job', justification: '' });
    expect(cardText(saved)).toContain('Benign: Backup job execution');
    expect(cardText(saved)).toContain('(page 2 of 2)');
  });
});
