import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';
import { actionData, type Card } from '../support/card-actions';

// Right-to-left override, zero-width space, word joiner, first-strong isolate, byte-order mark, NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2060\uFEFF\u0000]/;
const HOSTILE_DEVICE = '<at>Alice</at> fin-ws\u202Egpj.exe\u200B\u0000.contoso.local';
const CLEAN_DEVICE = '<at>Alice</at> fin-wsgpj.exe.contoso.local';
const HOSTILE_NAME = 'Mal\u202Elory\u2066 [admin](https://e.x)\u200B';
const CLEAN_NAME = 'Mallory [admin](https://e.x)';

describe('hostile words and names echoed back by the bot', () => {
  let harness: BotHarness;
  let dir: string;
  const mallory = { ...defaultIdentity(HOSTILE_NAME), userId: '29:mallory', aadObjectId: '00000000-0000-0000-0000-0000000000ee' };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-hostile-'));
    const row = certRow('dev-evil', HOSTILE_DEVICE, 'NCH Software Pty Ltd', new Date(Date.now() - 3_600_000), 9001);
    fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), `${JSON.stringify(row)}\n`);
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db') });
  });

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const lastSent = () => harness.sent()[harness.sent().length - 1].activity;

  it('sends replies that echo the user\'s words as plain text, so markdown links stay text', async () => {
    await harness.say('hunt [x](https://e.x) desktopnow', mallory);
    const reply = lastSent();
    expect(reply.text).toContain('[x](https://e.x)');
    expect(reply.textFormat).toBe('plain');

    await harness.say('**bold** <at>Alice</at>\u202E', mallory);
    expect(lastSent().textFormat).toBe('plain');
    expect(lastSent().text).not.toMatch(INVISIBLE);
  });

  it('shows device and display names on cards without bidi overrides, zero-width characters or NULs', async () => {
    await harness.say('hunt rmm desktopnow 5d', mallory);
    await harness.app.runs.idle();
    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)) || cardText(harness.card(a.id)).includes('DesktopNow'));
    const text = cardText(harness.card(running!.id));
    expect(text).toContain(CLEAN_DEVICE);
    expect(text).toContain(`Requested by ${CLEAN_NAME}`);
    for (const event of harness.connector.events) expect(JSON.stringify(event.activity)).not.toMatch(/\\u202e|\\u200b|\\u0000|\\u2066/i);
  });

  it('stores the tag and its audit rows with the cleaned names, and echoes them in plain text on untag', async () => {
    const id = harness.sent().find((a) => cardText(harness.card(a.id)).includes(CLEAN_DEVICE))!.id;
    const form = await harness.execute(id, 'hit.tag', actionData(harness.card(id) as Card, 'hit.tag', 'dev-evil'), mallory);
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    const saved = await harness.execute(id, 'hit.tag.save', { ...save, scenario: 'other', justification: 'looks \u202Efine\u200B', expiry: '7d' }, mallory);
    expect(cardText((saved.body as { value: Card }).value)).toContain(`Benign: Other — ${CLEAN_NAME}`);

    await harness.say('untag rmm desktopnow dev-evil', mallory);
    expect(lastSent().textFormat).toBe('plain');
    expect(lastSent().text).toContain(`Removed the benign tag on ${CLEAN_DEVICE}`);

    const store = new SqliteExclusionStore(path.join(dir, 'huntbot.db'));
    try {
      const trail = await store.auditTrail('rmm/desktopnow|dev-evil');
      expect(trail.map((e) => e.action)).toEqual(['tag', 'untag']);
      for (const entry of trail) {
        expect(entry.actorName).toBe(CLEAN_NAME);
        expect(entry.detail).not.toMatch(INVISIBLE);
      }
      expect(trail[0].detail).toContain('looks fine');
    } finally {
      await store.close();
    }
  });
});
