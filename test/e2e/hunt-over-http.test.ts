import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { isRunningCard } from '../../src/cli/chat/card-text';

describe('a responder hunting in a Teams channel over HTTP', () => {
  let harness: FixtureHarness;
  let fixture: { dir: string; expectedDevices: string[] };

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
    fixture = harness.fixture;
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('answers "hunt rmm desktopnow 5d" with a running card, then updates it in place with the devices that matched', async () => {
    const response = await harness.say('hunt rmm desktopnow 5d');
    expect(response.status).toBe(200);

    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)));
    expect(running).toBeDefined();
    expect(cardText(harness.card(running!.id))).toContain('DesktopNow');

    await harness.app.runs.idle();
    const update = [...harness.connector.activities.values()].find((a) => a.operation === 'update' && a.id === running!.id);
    expect(update).toBeDefined();
    const text = cardText(harness.card(running!.id));
    for (const device of fixture.expectedDevices) expect(text).toContain(device);
    for (const lookAlike of ['dev-ws-100', 'dev-ws-101', 'dev-ws-102', 'old-ws-001']) expect(text).not.toContain(lookAlike);
    expect(text).toContain("Signer has 'NCH Software'");
  });

  it('sends the replies to the conversation the message came from, as a channel reply', () => {
    const posts = harness.connector.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.path.startsWith('/v3/conversations/19:huntbot-local@thread.tacv2'))).toBe(true);
  });

  it('tells the user the valid windows when the window is malformed', async () => {
    await harness.say('hunt rmm desktopnow 5x');
    expect(harness.lastText()).toMatch(/not a time window.*<n>m.*<n>h.*<n>d/);
  });

  it('suggests the closest tool for a misspelled one', async () => {
    await harness.say('hunt rmm desktopnwo 5d');
    expect(harness.lastText()).toContain('desktopnow');
  });

  it('points at help for anything it does not understand', async () => {
    await harness.say('make me a sandwich');
    expect(harness.lastText()).toContain('help');
  });

  it('reports its backend and hunt count on /healthz', async () => {
    const health = (await (await fetch(`${harness.app.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health.status).toBe('ok');
    expect(health.backend).toBe('embedded');
    expect(health.hunts).toBeGreaterThan(0);
  });
});
