import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { actionData, type Card } from '../support/card-actions';

describe('responders tagging hits as benign, over HTTP', () => {
  let harness: FixtureHarness;
  const alice = defaultIdentity('Alice');
  const bob = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const hunt = () => harness.huntToResult('hunt rmm desktopnow 5d', alice);

  it('tags a device, shows it to everyone, hides it on the next run, lists it, and untags it', async () => {
    const first = await hunt();
    const tagAction = actionData(first.card, 'hit.tag', 'dev-a');

    const form = await harness.execute(first.messageId, 'hit.tag', tagAction, alice);
    expect(form.status).toBe(200);
    const formCard = (form.body as { value: Card }).value;
    expect(JSON.stringify(formCard)).toContain('"id":"scenario"');
    expect(JSON.stringify(formCard)).toContain('"id":"justification"');

    const save = actionData(formCard, 'hit.tag.save');
    const saved = await harness.execute(first.messageId, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry: '90d' }, alice);
    expect(saved.status).toBe(200);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: Backup job execution — Alice');

    // The shared message was replaced for everyone.
    expect(cardText(harness.card(first.messageId))).toContain('Benign: Backup job execution — Alice');

    const second = await hunt();
    const secondText = cardText(second.card);
    expect(secondText).not.toContain('fin-ws-001.contoso.local');
    expect(secondText).toContain('1 device hidden as benign.');

    const shown = await harness.execute(second.messageId, 'results.hidden', actionData(second.card, 'results.hidden'), bob);
    const shownText = cardText((shown.body as { value: Card }).value);
    expect(shownText).toContain('fin-ws-001.contoso.local');
    expect(shownText).toContain('Benign: Backup job execution — Alice');

    await harness.say('exclusions rmm desktopnow', bob);
    const listing = harness.sent()[harness.sent().length - 1];
    const listingText = cardText(harness.card(listing.id));
    expect(listingText).toContain('fin-ws-001.contoso.local');
    expect(listingText).toContain('Backup job execution — Alice');
    expect(listingText).toContain('Nightly backups');

    await harness.say('exclusions rmm', bob);
    const familyListing = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expect(familyListing).toContain('Benign tags for rmm');
    expect(familyListing).toContain('fin-ws-001.contoso.local');

    await harness.say('untag rmm desktopnow fin-ws-001.contoso.local', bob);
    expect(harness.lastText()).toContain('Removed the benign tag on fin-ws-001.contoso.local');

    const third = await hunt();
    expect(cardText(third.card)).toContain('fin-ws-001.contoso.local');
  });

  it('keeps one tag when the same tag is submitted twice', async () => {
    const { messageId, card } = await hunt();
    const data = { ...actionData(card, 'hit.tag', 'dev-b'), scenario: 'software-update', justification: '' };
    await harness.execute(messageId, 'hit.tag.save', data, alice);
    await harness.execute(messageId, 'hit.tag.save', data, alice);
    await harness.say('exclusions rmm desktopnow', alice);
    const text = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expect(text.match(/hr-ws-017\.contoso\.local/g)).toHaveLength(1);
    await harness.say('untag rmm desktopnow dev-b', alice);
  });

  it('lands two responders tagging different devices of one card at the same moment', async () => {
    const { messageId, card } = await hunt();
    const [a, b] = await Promise.all([
      harness.execute(messageId, 'hit.tag.save', { ...actionData(card, 'hit.tag', 'dev-a'), scenario: 'remote-desktop' }, alice),
      harness.execute(messageId, 'hit.tag.save', { ...actionData(card, 'hit.tag', 'dev-c'), scenario: 'scheduled-job' }, bob),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const shared = cardText(harness.card(messageId));
    expect(shared).toContain('Benign: Remote desktop session by an admin — Alice');
    expect(shared).toContain('Benign: Legitimate scheduled job execution — Bob');
    await harness.say('untag rmm desktopnow dev-a', alice);
    await harness.say('untag rmm desktopnow dev-c', alice);
  });

  it('explains what is wrong on the form: missing justification for other, unknown scenario, past expiry', async () => {
    const { messageId, card } = await hunt();
    const base = actionData(card, 'hit.tag', 'dev-a');
    const other = await harness.execute(messageId, 'hit.tag.save', { ...base, scenario: 'other', justification: '  ' }, alice);
    expect(cardText((other.body as { value: Card }).value)).toContain('needs a justification');
    const unknown = await harness.execute(messageId, 'hit.tag.save', { ...base, scenario: 'made-up' }, alice);
    expect(cardText((unknown.body as { value: Card }).value)).toContain('"made-up" is not a scenario');
    const past = await harness.execute(messageId, 'hit.tag.save', { ...base, scenario: 'backup-job', expiresOn: '2001-01-01' }, alice);
    expect(cardText((past.body as { value: Card }).value)).toContain('in the past');
  });

  it('rejects forged or stale card actions with a clear message and changes nothing', async () => {
    const { messageId, card } = await hunt();
    const forgedDevice = await harness.execute(messageId, 'hit.tag.save', { runId: actionData(card, 'hit.tag', 'dev-a').runId, deviceId: 'dev-not-in-result', scenario: 'backup-job' }, alice);
    expect((forgedDevice.body as { value: string }).value).toContain('not part of this result');
    const staleRun = await harness.execute(messageId, 'hit.tag.save', { runId: 'no-such-run', deviceId: 'dev-a', scenario: 'backup-job' }, alice);
    expect((staleRun.body as { value: string }).value).toContain('no longer available');
    const unknownVerb = await harness.execute(messageId, 'hit.explode', {}, alice);
    expect(unknownVerb.status).toBe(400);
    await harness.say('exclusions rmm desktopnow', alice);
    expect(cardText(harness.card(harness.sent()[harness.sent().length - 1].id))).toContain('No device is tagged benign');
  });
});
