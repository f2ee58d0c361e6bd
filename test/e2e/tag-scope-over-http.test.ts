import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData, invokeValue } from '../support/card-actions';
import { withFixtureStore } from '../support/fixture-store';
import { cardText } from '../support/card-text';
import { cardOf } from '../../src/cli/chat/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';

const alice = defaultIdentity('Alice');

describe('tagging at the right scope, over HTTP (local mode: the embedded engine runs the same KQL)', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_RESULT_TTL_SECONDS: '0' });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const storedTags = () => withFixtureStore(harness, (store) => store.list());

  it('offers the three scopes on the tag form, this tool on this device first', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const form = await harness.execute(messageId, 'hit.tag', actionData(card, 'hit.tag', 'dev-a'), alice);
    const text = cardText(invokeValue<unknown>(form));
    expect(text).toContain('This tool (desktopnow) on fin-ws-001.contoso.local');
    expect(text).toContain('Every rmm tool on fin-ws-001.contoso.local');
    expect(text).toContain('desktopnow on every device (a sanctioned tool)');
  });

  it('keeps the SearchKey of a device tag as before, and a family tag hides the device from this tool\'s hunt', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    await harness.execute(messageId, 'hit.tag.save', { ...actionData(card, 'hit.tag', 'dev-b'), scenario: 'backup-job', justification: 'x' }, alice);
    const saved = await harness.execute(
      messageId,
      'hit.tag.save',
      { ...actionData(card, 'hit.tag', 'dev-a'), scenario: 'remote-desktop', justification: 'IT jump host, several RMM tools', scope: 'family-device' },
      alice,
    );
    expect(cardText(invokeValue<unknown>(saved))).toContain('Benign (every tool of this family on this device): ');

    expect((await storedTags()).map((t) => t.searchKey).sort()).toEqual(['rmm/*|dev-a', 'rmm/desktopnow|dev-b']);
    const next = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    expect(cardText(next.card)).toContain('2 devices hidden as benign.');
    await harness.say('exclusions rmm desktopnow', alice);
    expect(cardText(cardOf(harness.sent().at(-1)!.activity))).toContain('rmm/*');

    const shown = await harness.execute(next.messageId, 'results.hidden', { runId: actionData(next.card, 'results.hidden').runId }, alice);
    const untag = await harness.execute(next.messageId, 'hit.untag', actionData(invokeValue<unknown>(shown) as Record<string, unknown>, 'hit.untag', 'dev-a'), alice);
    expect(cardText(invokeValue<unknown>(untag))).not.toContain('every tool of this family');
    expect((await storedTags()).map((t) => t.searchKey)).toEqual(['rmm/desktopnow|dev-b']);
    await harness.say('untag rmm desktopnow dev-b', alice);
  });

  it('a tool tagged on every device hides it everywhere, in the KQL that ran too, until it is untagged', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    await harness.execute(
      messageId,
      'hit.tag.save',
      { ...actionData(card, 'hit.tag', 'dev-c'), scenario: 'other', justification: 'DesktopNow is the sanctioned helpdesk tool', scope: 'tool-everywhere' },
      alice,
    );
    expect((await storedTags()).map((t) => [t.searchKey, t.deviceName])).toEqual([['rmm/desktopnow|*', '']]);

    const next = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    expect(cardText(next.card)).toContain('3 devices hidden as benign.');
    // The card's "Show query" holds the KQL that ran: it tests the tool-everywhere key itself.
    expect(cardText(next.card)).toContain("'rmm/desktopnow|*' in ((_GetWatchlist('HuntBotExclusions')");

    await harness.say('untag rmm desktopnow everywhere', alice);
    expect(harness.lastText()).toContain('Removed the benign tag');
    expect(cardText((await harness.huntToResult('hunt rmm desktopnow 5d', alice)).card)).toContain('fin-ws-001.contoso.local');
  });

  it('tags all devices on the page with one scenario after a confirmation naming the count, auditing each device', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const press = actionData(card, 'results.tagpage');
    const form = await harness.execute(messageId, 'results.tagpage', press, alice);
    const formCard = invokeValue<unknown>(form) as Record<string, unknown>;
    expect(cardText(formCard)).toContain('Tag 3 devices on this page as benign');
    const review = actionData(formCard, 'results.tagpage.confirm');

    const confirm = await harness.execute(messageId, 'results.tagpage.confirm', { ...review, scenario: 'software-update', justification: 'Patch rollout' }, alice);
    const confirmCard = invokeValue<unknown>(confirm) as Record<string, unknown>;
    expect(cardText(confirmCard)).toContain('Tag 3 devices as benign for rmm/desktopnow?');
    const save = actionData(confirmCard, 'results.tagpage.save');
    expect(await storedTags()).toEqual([]);

    const saved = await harness.execute(messageId, 'results.tagpage.save', save, alice);
    expect(cardText(invokeValue<unknown>(saved))).toContain('Tagged 3 devices as benign, each with its own audit entry.');
    expect((await storedTags()).map((t) => t.searchKey).sort()).toEqual(['rmm/desktopnow|dev-a', 'rmm/desktopnow|dev-b', 'rmm/desktopnow|dev-c']);
    const trail = await withFixtureStore(harness, (store) => store.auditTrail());
    expect(trail.filter((e) => e.detail.endsWith('(tag all on page)')).map((e) => e.searchKey).sort()).toEqual([
      'rmm/desktopnow|dev-a',
      'rmm/desktopnow|dev-b',
      'rmm/desktopnow|dev-c',
    ]);
    expect(cardText(harness.card(messageId))).toContain('Benign: Software update deployment — Alice');

    for (const id of ['dev-a', 'dev-b', 'dev-c']) await harness.say(`untag rmm desktopnow ${id}`, alice);
  });

  it('refuses a confirmation that names a device not on the result, and tags nothing', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const runId = actionData(card, 'results.tagpage').runId;
    const forged = await harness.execute(messageId, 'results.tagpage.save', { runId, deviceIds: 'dev-a\nsomeone-elses-device', scenario: 'backup-job' }, alice);
    expect(String(invokeValue<unknown>(forged))).toContain('A device on this card is not part of this result, so nothing was tagged.');
    expect(await storedTags()).toEqual([]);
  });

  it('refuses a scope that is not one of the three, naming them', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const reply = await harness.execute(messageId, 'hit.tag.save', { ...actionData(card, 'hit.tag', 'dev-a'), scenario: 'backup-job', scope: 'galaxy' }, alice);
    expect(cardText(invokeValue<unknown>(reply))).toContain('"galaxy" is not a tag scope. Pick one of: device, family-device, tool-everywhere.');
    expect(await storedTags()).toEqual([]);
  });
});
