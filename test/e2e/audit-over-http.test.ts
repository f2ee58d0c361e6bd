import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData } from '../support/card-actions';
import { cardText } from '../support/card-text';
import { cardOf } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const TAGGER = '00000000-0000-0000-0000-00000000a11c';
const tagger: ChatIdentity = { ...defaultIdentity('Tina Tagger'), userId: '29:tina', aadObjectId: TAGGER };
const member: ChatIdentity = { ...defaultIdentity('Mo Member'), userId: '29:mo', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };

describe('audit: who tagged, untagged, bookmarked or was refused what, over HTTP', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_TAGGERS: TAGGER, HUNT_RESULT_TTL_SECONDS: '0' });
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const onA = actionData(card, 'hit.tag', 'dev-a');
    await harness.execute(messageId, 'hit.tag.save', { ...onA, scenario: 'backup-job', justification: 'Nightly backups' }, tagger);
    await harness.execute(messageId, 'hit.untag', onA, tagger);
    await harness.execute(messageId, 'hit.tag.save', { ...onA, scenario: 'backup-job' }, member);
    await harness.execute(messageId, 'hit.bookmark.save', { ...actionData(card, 'hit.bookmark', 'dev-b'), note: 'Looks odd' }, tagger);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  async function audit(text: string): Promise<Record<string, unknown>> {
    await harness.say(text, member);
    return cardOf(harness.sent().at(-1)!.activity)!;
  }

  it('lists every action on the hunt, newest first, with who, what and why, to anyone who may hunt', async () => {
    const text = cardText(await audit('audit rmm desktopnow'));
    const lines = text.split('\n').filter((l) => / UTC · /.test(l));
    expect(lines.map((l) => l.replace(/^.* UTC · /, ''))).toEqual([
      'Tina Tagger bookmarked',
      'Mo Member was refused',
      'Tina Tagger removed a tag',
      'Tina Tagger tagged benign',
    ]);
    expect(text).toContain('backup-job: Nightly backups → saved');
    expect(text).toContain('Looks odd → created (local store)');
    expect(text).toContain('4 entries, newest first');
  });

  it('filters by device and by date, and says when nothing matches', async () => {
    const byDevice = cardText(await audit('audit dev-b'));
    expect(byDevice).toContain('1 entry, newest first');
    expect(byDevice).toContain('Tina Tagger bookmarked');
    expect(cardText(await audit('audit since 2099-01-01'))).toContain('Nothing in the audit trail matches.');
    await harness.say('audit since tomorrow', member);
    expect(harness.lastText()).toContain('"since" needs a date (YYYY-MM-DD) or an age (7d, 12h).');
  });

  it('pages a long trail with Next, which sends the same command for the next page', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', tagger);
    const onC = actionData(card, 'hit.tag', 'dev-c');
    for (let i = 0; i < 16; i++) await harness.execute(messageId, 'hit.tag', onC, member);

    const first = await audit('audit rmm desktopnow');
    expect(cardText(first)).toContain('Page 1 of 2');
    const next = JSON.stringify(first).match(/"type":"imBack","value":"([^"]+)"/)![1];
    expect(next).toBe('audit rmm desktopnow page 2');
    const second = cardText(await audit(next!));
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('Tina Tagger tagged benign');
  });
});
