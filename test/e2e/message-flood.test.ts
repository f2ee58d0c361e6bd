import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const alice: ChatIdentity = { ...defaultIdentity('Alice'), userId: '29:alice', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
const FLOOD = 300;
/** The default burst (HUNT_MESSAGE_BURST) plus what 60 a minute refills while the flood lasts. */
const DEFAULT_BURST = 30;

/** One person flooding the bot, with the default limits: the bot answers a burst, tells them once, and serves everyone else. */
describe('a person flooding the bot with messages and card presses', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    // // The engine in the bot's own thread (a supported setting): the limit is on messages, before any query, and a worker pool costs seconds of CPU to start.
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_ENGINE_WORKERS: '0' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const isHelpCard = (activity: Record<string, unknown>) => cardText(cardOf(activity)).includes('Show the commands and examples');
  const texts = (from: number) =>
    harness
      .sent()
      .slice(from)
      .map((a) => a.activity.text)
      .filter((t): t is string => typeof t === 'string');

  it(`answers a burst of a ${FLOOD}-message help flood, says once that it is skipping the rest, and still answers someone else`, async () => {
    const before = harness.sent().length;
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: FLOOD }, () => harness.say('help', alice)));
    const refilled = Math.ceil((Date.now() - started) / 1000) + 1;
    expect(responses.every((r) => r.status === 200)).toBe(true);

    const helpCards = harness.sent().slice(before).filter((a) => isHelpCard(a.activity));
    expect(helpCards.length).toBeGreaterThanOrEqual(DEFAULT_BURST);
    expect(helpCards.length).toBeLessThanOrEqual(DEFAULT_BURST + refilled);
    const notices = texts(before).filter((t) => t.includes('faster than I can answer'));
    expect(notices).toHaveLength(1);
    expect(harness.sent().length - before).toBe(helpCards.length + 1);

    const bobBefore = harness.sent().length;
    await harness.say('help', bob);
    expect(harness.sent().slice(bobBefore).some((a) => isHelpCard(a.activity))).toBe(true);
  });

  it('answers every flooded card press (a refusal when over the limit), never leaving one hanging', async () => {
    const before = harness.sent().length;
    await harness.say('hunt rmm desktopnow 5d', bob);
    const running = harness.sent().slice(before).find((a) => isRunningCard(cardOf(a.activity)))!;
    await harness.app.runs.idle();
    const runId = /"verb":"run\.cancel","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(running.activity))![1];

    const presses = await Promise.all(Array.from({ length: 100 }, () => harness.execute(running.id, 'results.page', { runId, page: 0 }, bob)));
    expect(presses.every((p) => p.status === 200)).toBe(true);
    const answers = presses.map((p) => (p.body as { value: unknown }).value);
    const cards = answers.filter((v) => typeof v === 'object');
    const refusals = answers.filter((v): v is string => typeof v === 'string');
    expect(cards.length + refusals.length).toBe(100);
    expect(cards.length).toBeGreaterThan(0);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) expect(refusal).toContain('pressing buttons faster than I can answer');
    // Presses are answered in the invoke response: nothing extra is posted to the channel.
    expect(texts(before).filter((t) => t.includes('faster than I can answer'))).toHaveLength(0);
  });
});
