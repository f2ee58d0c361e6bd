import * as fs from 'node:fs';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { actionData, invokeValue, type Card } from '../support/card-actions';
import { deviceId, writeLookupDataFolder } from '../support/lookup-fixture';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

/** `untag lookup <kind> <value> [<device>]`: a lookup's benign tag removed by command, as the card's Untag removes it. */
const TAGGER = '00000000-0000-0000-0000-00000000a11c';
const tagger: ChatIdentity = { ...defaultIdentity('Tina Tagger'), userId: '29:tina', aadObjectId: TAGGER };
const member: ChatIdentity = { ...defaultIdentity('Mo Member'), userId: '29:mo', aadObjectId: '00000000-0000-0000-0000-000000000077' };
const MKT = 'mkt-ws-005.contoso.local';

describe('untag by command on a lookup tag, over HTTP', () => {
  let harness: BotHarness;
  let dir: string;

  async function tagOnCard(command: string, device: string): Promise<void> {
    const result = await harness.huntToResult(command, tagger);
    const form = await harness.execute(result.messageId, 'hit.tag', actionData(result.card, 'hit.tag', deviceId(device)), tagger);
    const save = actionData(invokeValue<Card>(form), 'hit.tag.save');
    const saved = await harness.execute(result.messageId, 'hit.tag.save', { ...save, scenario: 'other', justification: 'our CDN', expiry: '7d' }, tagger);
    expect(cardText(invokeValue(saved))).toContain('Benign');
  }

  async function reply(text: string, who: ChatIdentity = tagger): Promise<string> {
    await harness.say(text, who);
    return harness.lastText();
  }

  beforeAll(async () => {
    dir = writeLookupDataFolder(new Date());
    harness = await BotHarness.start({
      HUNT_DATA_DIR: dir,
      HUNT_STORE_PATH: path.join(dir, 'huntbot.db'),
      HUNT_CACHE_DIR: path.join(dir, 'cache'),
      HUNT_TAGGERS: TAGGER,
      HUNT_MESSAGE_BURST: '1000',
      HUNT_MESSAGES_PER_MINUTE: '1000',
    });
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('removes a tag made on the card: the device shows again on the next lookup, and the removal is audited', async () => {
    await tagOnCard('lookup domain example.com 3d', MKT);
    expect(cardText((await harness.huntToResult('lookup domain example.com 3d', tagger)).card)).toContain('1 device hidden as benign.');

    // The value is read as `lookup` reads it (upper case and all): the same tag.
    expect(await reply('untag lookup domain EXAMPLE.com mkt-ws-005')).toBe(
      `Removed the benign tag on ${MKT} for lookup domain example.com; it will show in the next lookup.`,
    );
    const again = cardText((await harness.huntToResult('lookup domain example.com 3d', tagger)).card);
    expect(again).toContain(MKT);
    expect(again).not.toContain('hidden as benign');

    await harness.say('audit', tagger);
    const audit = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expect(audit).toContain(`Tina Tagger removed a tag\nlookup/domain:example.com · ${deviceId(MKT)}\nby command → removed`);
  });

  it('needs no device when the lookup has one tagged device, and asks which when it has several', async () => {
    await tagOnCard('lookup domain example.com 3d', MKT);
    await tagOnCard('lookup domain example.com 3d', 'sales-ws-006.contoso.local');
    expect(await reply('untag lookup domain example.com')).toMatch(
      /^2 devices are tagged benign on lookup domain example\.com: (?=.*mkt-ws-005\.contoso\.local)(?=.*sales-ws-006\.contoso\.local).*\. Say which: `untag lookup domain example\.com <device name or id>`\.$/,
    );
    expect(await reply('untag lookup domain example.com sales-ws-006')).toContain('Removed the benign tag on sales-ws-006.contoso.local');
    expect(await reply('untag lookup domain example.com')).toContain(`Removed the benign tag on ${MKT} for lookup domain example.com`);
    expect(await reply('untag lookup domain example.com')).toBe('No benign tag on lookup domain example.com. Tags on lookups are listed by `exclusions lookup`.');
  });

  it('refuses someone who may not tag, exactly as the card’s Untag does, and audits the refusal; the tag stays', async () => {
    await tagOnCard('lookup domain example.com 3d', MKT);
    expect(await reply('untag lookup domain example.com mkt-ws-005', member)).toMatch(/^Sorry, you can't use `untag` here: /);
    expect(cardText((await harness.huntToResult('lookup domain example.com 3d', tagger)).card)).toContain('1 device hidden as benign.');
    await harness.say('audit', tagger);
    const audit = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expect(audit).toMatch(/Mo Member was refused\nlookup\/domain:example\.com · mkt-ws-005\n/);
    expect(await reply('untag lookup domain example.com mkt-ws-005')).toContain('Removed the benign tag');
  });

  it.each([
    ['untag lookup domian example.com', /There is no lookup for "domian"\. Did you mean `domain`\?/],
    ['untag lookup hash 12345', /`untag lookup hash` needs a SHA256, SHA1 or MD5 hash/],
    ['untag lookup ip', /^Usage: `untag lookup <kind> <value> \[<device name or id>\]`/],
    ['untag lookup domain example.com nosuch-ws', /^No benign tag for "nosuch-ws" on lookup domain example\.com\./],
  ])('answers "%s" with a specific message', async (command, message) => {
    expect(await reply(command)).toMatch(message);
  });

  it('help documents the lookup form of untag', async () => {
    await harness.say('help', tagger);
    expect(cardText(harness.card(harness.sent()[harness.sent().length - 1].id))).toContain('untag <family> <tool> <device> | untag lookup <kind> <value> [<device>]');
  });
});
