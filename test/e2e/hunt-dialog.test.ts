import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';

describe('asking for the missing parts of a hunt command', () => {
  let harness: FixtureHarness;
  const alice = defaultIdentity('Alice');
  const bob = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0' };

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const lastCard = () => {
    const last = harness.sent()[harness.sent().length - 1];
    return { id: last.id, text: cardText(harness.card(last.id)) };
  };

  it('asks for family, tool and window with choice cards, then runs the hunt', async () => {
    await harness.say('hunt', alice);
    expect(lastCard().text).toContain('Which hunt family?');
    await harness.submit(lastCard().id, { promptFor: 'family', promptUser: alice.userId, promptChoice: 'rmm' }, alice);
    expect(lastCard().text).toContain('Which rmm tool?');
    await harness.submit(lastCard().id, { promptFor: 'tool', promptUser: alice.userId, promptChoice: 'desktopnow' }, alice);
    expect(lastCard().text).toContain('How far back?');
    await harness.submit(lastCard().id, { promptFor: 'window', promptUser: alice.userId, promptChoice: '5d' }, alice);
    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)));
    expect(running).toBeDefined();
    await harness.app.runs.idle();
    expect(cardText(harness.card(running!.id))).toContain('fin-ws-001.contoso.local');
  });

  it('starts at the tool question when the family is given, and re-asks with a suggestion for a typo', async () => {
    await harness.say('hunt rmm', alice);
    expect(lastCard().text).toContain('Which rmm tool?');
    await harness.submit(lastCard().id, { promptFor: 'tool', promptUser: alice.userId, promptChoice: 'desktopnwo' }, alice);
    expect(harness.lastText()).toContain('desktopnow');
    await harness.say('cancel', alice);
    expect(harness.lastText()).toBe('Cancelled.');
  });

  it('keeps a question to the person who was asked, even when someone else answers', async () => {
    await harness.say('hunt rmm', alice);
    const question = lastCard();
    await harness.submit(question.id, { promptFor: 'tool', promptUser: alice.userId, promptChoice: 'desktopnow' }, bob);
    expect(harness.lastText()).toContain('That question was for someone else');
    await harness.say('cancel', alice);
    expect(harness.lastText()).toBe('Cancelled.');
  });

  it('lets a new command replace an open question', async () => {
    await harness.say('hunt', alice);
    await harness.say('help', alice);
    expect(lastCard().text).toContain('Sentinel Hunt Bot');
    await harness.say('cancel', alice);
    expect(harness.lastText()).toBe('There is nothing to cancel.');
  });
});
