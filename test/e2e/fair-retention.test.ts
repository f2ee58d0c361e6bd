import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';

const alice: ChatIdentity = { ...defaultIdentity('Alice'), userId: '29:alice', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
/**
 * Twice the smallest capacity HUNT_MAX_RETAINED_RUNS accepts (the floods below are sized from it). At 10 the
 * identical flood left one run of slack (the flooder's 5 running hunts, the run that made the result and its
 * shared copy, Bob's and Alice's earlier runs): a second result when the flood crossed a minute (windows end at
 * the next whole minute) was enough for Alice's earlier run to be dropped, rightly, as the biggest holder's
 * oldest. It failed once in CI that way.
 */
const RETAINED = 20;
const MAX_QUEUED = 5;

/** Memory run state holds a bounded number of runs: one person's flood must not push out everyone else's. */
describe('run retention under one person’s flood', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({
      HUNT_MAX_RETAINED_RUNS: String(RETAINED),
      // The rate limit is tested on its own; here the flood must reach the run store.
      HUNT_MESSAGES_PER_MINUTE: '100000',
      HUNT_MESSAGE_BURST: '100000',
      // The engine in the bot's own thread (a supported setting): retention is decided after the engine, and a worker pool costs seconds of CPU to start.
      HUNT_ENGINE_WORKERS: '0',
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** Runs the hunts, at most the queue cap at a time, and returns their run ids in order. */
  async function hunts(texts: string[], who: ChatIdentity): Promise<string[]> {
    const runIds: string[] = [];
    for (let i = 0; i < texts.length; i += MAX_QUEUED) {
      const before = harness.sent().length;
      await Promise.all(texts.slice(i, i + MAX_QUEUED).map((text) => harness.say(text, who)));
      await harness.app.runs.idle();
      for (const sent of harness.sent().slice(before)) {
        if (!isRunningCard(cardOf(sent.activity))) throw new Error(`not started: ${String(sent.activity.text)}`);
        runIds.push(/"verb":"run\.cancel","data":\{"runId":"([^"]+)"/.exec(JSON.stringify(sent.activity))![1]);
      }
    }
    return runIds;
  }

  /** Pages a result as `who` would: a card when the run is still kept, a message when it is gone. */
  async function page(runId: string, who: ChatIdentity): Promise<'kept' | string> {
    const response = await harness.execute('activity-x', 'results.page', { runId, page: 0 }, who);
    const value = (response.body as { value: unknown }).value;
    return typeof value === 'object' ? 'kept' : String(value);
  }

  it('a flood of identical (cached) hunts keeps everyone’s runs, the flooder’s earlier ones included', async () => {
    const [bobs] = await hunts(['hunt rmm desktopnow 5d'], bob);
    const [alicesEarlier] = await hunts(['hunt rmm desktopnow 2d'], alice);
    const flood = await hunts(Array.from({ length: RETAINED * 3 }, () => 'hunt rmm desktopnow 3d'), alice);

    expect(await page(bobs, bob)).toBe('kept');
    expect(await page(alicesEarlier, alice)).toBe('kept');
    expect(await page(flood[flood.length - 1], alice)).toBe('kept');
  });

  it('a flood of distinct hunts drops only the flooder’s own oldest runs', async () => {
    const [bobs] = await hunts(['hunt rmm desktopnow 4d'], bob);
    const flood = await hunts(Array.from({ length: RETAINED * 2 }, (_, i) => `hunt rmm desktopnow ${i + 1}h`), alice);

    expect(await page(bobs, bob)).toBe('kept');
    expect(await page(flood[0], alice)).toContain('no longer available');
    expect(await page(flood[flood.length - 1], alice)).toBe('kept');
  });
});
