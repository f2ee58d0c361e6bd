import { isRunningCard } from '../../src/cli/chat/card-text';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { actionData, type Card } from '../support/card-actions';

const CORRELATION_ID = /correlation id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('card updates that Teams refuses', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    // // The engine in the bot's own thread (a supported setting): the faults are in Teams' answers to card updates, and a worker pool costs seconds of CPU to start.
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_ENGINE_WORKERS: '0' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  /** Starts a hunt and returns its running card's id, with the connector's request log cleared first. */
  async function startHunt(window: string): Promise<string> {
    harness.connector.requests.length = 0;
    const before = harness.sent().length;
    await harness.say(`hunt rmm desktopnow ${window}`);
    const running = harness.sent().slice(before).find((a) => isRunningCard(harness.card(a.id)));
    if (!running) throw new Error('no running card');
    return running.id;
  }

  const putsTo = (id: string) => harness.connector.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/activities/${id}`));
  const textsSince = (index: number) =>
    harness.connector.events
      .slice(index)
      .filter((e) => e.operation === 'send' && typeof e.activity.text === 'string')
      .map((e) => ({ text: e.activity.text as string, textFormat: e.activity.textFormat }));

  it('retries a throttled result update after the Retry-After Teams sent, then shows the result', async () => {
    harness.connector.failUpdates({ status: 429, times: 2, retryAfterSeconds: 2 });
    const id = await startHunt('5d');
    await harness.app.runs.idle();

    const puts = putsTo(id);
    expect(puts.map((p) => p.status)).toEqual([429, 429, 200]);
    expect(puts[1].at - puts[0].at).toBeGreaterThanOrEqual(1_900);
    expect(puts[2].at - puts[1].at).toBeGreaterThanOrEqual(1_900);
    expect(isRunningCard(harness.card(id))).toBe(false);
    expect(cardText(harness.card(id))).toContain('fin-ws-001.contoso.local');
  });

  it('gives up on a card Teams keeps refusing after a bounded number of attempts, and posts one short note with a correlation id', async () => {
    harness.connector.failUpdates({ status: 503, times: 100 });
    const events = harness.connector.events.length;
    const started = Date.now();
    const id = await startHunt('4d');
    await harness.app.runs.idle();
    harness.connector.clearFaults();

    const puts = putsTo(id);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    expect(puts.length).toBeLessThanOrEqual(4);
    expect(Date.now() - started).toBeLessThan(60_000);

    const notes = textsSince(events);
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^Could not update the hunt card for DesktopNow · file signature: Teams answered 503/);
    expect(notes[0].text).toMatch(/The hunt finished \(2 devices\) and the result is kept; run "hunt rmm desktopnow filesig 4d" again to see it\./);
    expect(notes[0].text).toMatch(CORRELATION_ID);
    expect(notes[0].textFormat).toBe('plain');
    expect(notes[0].text).not.toContain('Sorry, something went wrong');
  });

  it('answers the clicker even when the shared card cannot be updated, with one note instead of a turn error', async () => {
    const id = await startHunt('3d');
    await harness.app.runs.idle();
    const card = harness.card(id) as Card;
    const form = await harness.execute(id, 'hit.tag', actionData(card, 'hit.tag', 'dev-a'));
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');

    harness.connector.failUpdates({ status: 502, times: 100, activityId: id });
    const events = harness.connector.events.length;
    const saved = await harness.execute(id, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry: '7d' });
    harness.connector.clearFaults();

    expect(saved.status).toBe(200);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: Backup job execution');
    const notes = textsSince(events);
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^Could not update the shared card for everyone: Teams answered 502 to \d attempts/);
    expect(notes[0].text).toMatch(CORRELATION_ID);
    expect(putsTo(id).filter((p) => p.status === 502).length).toBeLessThanOrEqual(3);
  });

  it('says what failed with a correlation id when a turn fails, never a generic "something went wrong"', async () => {
    // Teams refuses the running card once (400): the turn fails; its error reply goes through.
    harness.connector.failUpdates({ method: 'POST', status: 400, times: 1 });
    const events = harness.connector.events.length;
    await harness.say('hunt rmm desktopnow 2d');
    await harness.app.runs.idle();
    const notes = textsSince(events);
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^I could not finish that message: /);
    expect(notes[0].text).toMatch(CORRELATION_ID);
    expect(notes[0].text).not.toMatch(/something went wrong/i);
  });
});

describe('a tag press that outlasts the time Teams waits for its answer', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_ENGINE_WORKERS: '0', HUNT_CARD_ANSWER_SECONDS: '1' });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('answers "still working" in time, saves the tag anyway, and posts what happened in the conversation', async () => {
    const { messageId: id, card } = await harness.huntToResult('hunt rmm desktopnow 5d');
    const form = await harness.execute(id, 'hit.tag', actionData(card as Card, 'hit.tag', 'dev-a'));
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    // Teams throttles the shared card's update once, asking for 3 s: the press takes longer than the bot's 1 s.
    harness.connector.failUpdates({ status: 429, times: 1, retryAfterSeconds: 3, activityId: id });
    const putStatuses = () => harness.connector.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/activities/${id}`)).map((r) => r.status);
    const putsBefore = putStatuses().length;
    const note = harness.connector.waitFor((e) => e.operation === 'send' && typeof e.activity.text === 'string' && e.activity.text.startsWith('Alice: '));

    const answer = await harness.execute(id, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry: '7d' });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect((answer.body as { value: string }).value).toMatch(/^Still working on this: .* what happened will be posted in this conversation/);
    // Answered while the shared card's update was still waiting out Teams' Retry-After.
    expect(putStatuses().slice(putsBefore)).toEqual([429]);

    const posted = await note;
    expect(posted.activity.text).toBe(
      'Alice: Tagged fin-ws-001.contoso.local as benign for rmm/desktopnow. (finished after Teams stopped waiting for the button)',
    );
    expect(posted.activity.textFormat).toBe('plain');
    expect(putStatuses().slice(putsBefore)).toEqual([429, 200]);
    expect(cardText(harness.card(id))).toContain('Benign: Backup job execution');
  });
});

describe('a tag press still at work when the bot is stopped', () => {
  let harness: FixtureHarness;
  let stopped = false;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_ENGINE_WORKERS: '0', HUNT_CARD_ANSWER_SECONDS: '1' });
  });

  afterAll(async () => {
    if (!stopped) await harness?.stop();
  });

  it('is finished, and what happened posted, before the bot has stopped (as it promised the clicker)', async () => {
    const { messageId: id, card } = await harness.huntToResult('hunt rmm desktopnow 5d');
    const form = await harness.execute(id, 'hit.tag', actionData(card as Card, 'hit.tag', 'dev-a'));
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    // Teams throttles the shared card's update for 3 s: the press outlasts the bot's 1 s and is still waiting when the stop comes.
    harness.connector.failUpdates({ status: 429, times: 1, retryAfterSeconds: 3, activityId: id });

    const answer = await harness.execute(id, 'hit.tag.save', { ...save, scenario: 'backup-job', justification: 'Nightly backups', expiry: '7d' });
    expect((answer.body as { value: string }).value).toMatch(/^Still working on this: .* what happened will be posted in this conversation/);

    stopped = true;
    await harness.stop();

    const notes = harness.connector.events.filter((e) => e.operation === 'send' && typeof e.activity.text === 'string' && e.activity.text.startsWith('Alice: '));
    expect(notes.map((e) => e.activity.text)).toEqual([
      'Alice: Tagged fin-ws-001.contoso.local as benign for rmm/desktopnow. (finished after Teams stopped waiting for the button)',
    ]);
    expect(cardText(harness.card(id))).toContain('Benign: Backup job execution');
  });
});
