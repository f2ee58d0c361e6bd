import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData, invokeValue } from '../support/card-actions';
import { withFixtureStore } from '../support/fixture-store';
import { cardText } from '../support/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { searchKeyOf } from '../../src/stores/exclusion-store';
import type { ConnectorMember } from '../../src/cli/chat/connector-server';
import { createLogger } from '../../src/logging/logger';

const alice = defaultIdentity('Alice');
const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
const carol: ChatIdentity = { ...defaultIdentity('Carol'), userId: '29:carol', aadObjectId: '00000000-0000-0000-0000-0000000000c3' };
const aadOf = (n: number) => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
/** Teams' TeamsChannelAccount as `pagedmembers` lists it. */
const memberNo = (n: number): ConnectorMember => ({
  id: `29:member-${n}`,
  name: `Member ${n}`,
  aadObjectId: aadOf(0x1000 + n),
  userPrincipalName: `member${n}@contoso.com`,
  givenName: 'Member',
  surname: String(n),
  tenantId: alice.tenantId,
  userRole: 'user',
});
const refreshOf = (card: Record<string, unknown>) => card.refresh as { userIds: string[] };

// One bot for the file: each describe hunts in conversations of its own, and the warnings it logs are kept for the second.
let harness: FixtureHarness;
const logs: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const logger = createLogger('warn', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  // // The engine in the bot's own thread (a supported setting): refresh reads the tag store, not the engine, and a worker pool costs seconds of CPU to start.
  harness = await BotHarness.startOnDesktopNowFixture({ HUNT_RESULT_TTL_SECONDS: '0', HUNT_ENGINE_WORKERS: '0' }, logger);
});
afterAll(async () => {
  await harness?.stop();
});

describe('Universal Actions refresh: each person sees the current tags on their own view', () => {
  it('asks Teams to refresh the result card for the people of the run, and answers each with the store\'s tags on their own view', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const refresh = card.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
    expect(refresh.action.verb).toBe('results.refresh');
    expect(refresh.userIds).toEqual([alice.userId]);

    // Bob looks at the result with the hidden devices shown; then a tag lands in the store outside this card
    // (another instance, the CLI), so the shared card was never updated.
    await harness.execute(messageId, 'results.hidden', { runId: refresh.action.data.runId }, bob);
    await withFixtureStore(harness, (store) =>
      store.upsert({
        searchKey: searchKeyOf('rmm/desktopnow', 'dev-b'),
        huntKey: 'rmm/desktopnow',
        deviceId: 'dev-b',
        deviceName: 'hr-ws-017.contoso.local',
        scenario: 'backup-job',
        justification: 'Tagged elsewhere',
        taggedByUpn: '',
        taggedByAadObjectId: carol.aadObjectId,
        taggedByName: 'Carol',
        taggedAtUtc: new Date().toISOString(),
        expiresAtUtc: '',
      }),
    );
    expect(cardText(harness.card(messageId))).not.toContain('Tagged elsewhere');

    const forBob = invokeValue(await harness.execute(messageId, 'results.refresh', refresh.action.data, bob));
    expect(cardText(forBob)).toContain('Benign: Backup job execution — Carol');
    expect(actionData(forBob, 'hit.untag', 'dev-b').showHidden).toBe(true);
    const forCarol = invokeValue(await harness.execute(messageId, 'results.refresh', refresh.action.data, carol));
    expect(cardText(forCarol)).toContain('Benign: Backup job execution — Carol');
    expect(actionData(forCarol, 'hit.untag', 'dev-b').showHidden).toBe(false);
    expect((forCarol.refresh as { userIds: string[] }).userIds).toEqual([alice.userId]);
  });
});

describe('Universal Actions refresh: the card refreshes automatically for the people in the conversation', () => {
  afterEach(() => {
    harness.connector.members = [];
    harness.connector.clearFaults();
  });
  const memberReads = (conversationId: string) =>
    harness.connector.requests.filter((r) => r.method === 'GET' && r.path === `/v3/conversations/${conversationId}/pagedmembers`);

  it('names the requester first, then the conversation\'s members page by page (their Teams user ids), up to Teams\' 60', async () => {
    const dana: ChatIdentity = { ...alice, conversationId: '19:big-soc-channel@thread.tacv2' };
    // 75 members on pages of 25: the bot follows the continuation token until it knows 60; Alice is the 10th member.
    harness.connector.membersPageSizeMax = 25;
    harness.connector.members = Array.from({ length: 75 }, (_, i) => (i === 9 ? { ...memberNo(i), id: alice.userId, aadObjectId: alice.aadObjectId } : memberNo(i)));

    const { card } = await harness.huntToResult('hunt rmm desktopnow 5d', dana);

    const expected = [alice.userId, ...harness.connector.members.map((m) => m.id).filter((id) => id !== alice.userId)].slice(0, 60);
    expect(refreshOf(card).userIds).toEqual(expected);
    expect(memberReads(dana.conversationId).map((r) => r.status)).toEqual([200, 200, 200]);

    // A second hunt in the same conversation within minutes reuses the members read for the first.
    const again = await harness.huntToResult('hunt rmm desktopnow 4d', dana);
    expect(refreshOf(again.card).userIds).toEqual(expected);
    expect(memberReads(dana.conversationId)).toHaveLength(3);
  });

  it('sends the result card without waiting out a throttled member read, and the next card in the conversation gets the members once read', async () => {
    const frank: ChatIdentity = { ...alice, conversationId: '19:members-throttled@thread.tacv2' };
    harness.connector.members = [memberNo(1), memberNo(2)];
    harness.connector.failMembers({ status: 429, times: 1, retryAfterSeconds: 12 });

    const { card } = await harness.huntToResult('hunt rmm desktopnow 5d', frank);

    // Published before the read was tried again: the refresh names the requester only.
    expect(memberReads(frank.conversationId).map((r) => r.status)).toEqual([429]);
    expect(refreshOf(card).userIds).toEqual([alice.userId]);
    expect(logs).toContainEqual(expect.objectContaining({ event: 'conversation-members-slow' }));

    // The read goes on after the Retry-After; the next hunt there uses what it read.
    while (memberReads(frank.conversationId).length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await harness.huntToResult('hunt rmm desktopnow 4d', frank);
    expect(refreshOf(again.card).userIds).toEqual([alice.userId, memberNo(1).id, memberNo(2).id]);
    expect(memberReads(frank.conversationId)).toHaveLength(2);
  }, 90_000);

  it('still sends the result card, refreshing for the requester, when the members cannot be read', async () => {
    const erin: ChatIdentity = { ...alice, conversationId: '19:members-unreadable@thread.tacv2' };
    harness.connector.members = [memberNo(1), memberNo(2)];
    harness.connector.failMembers({ status: 403, times: 50 });

    const { card } = await harness.huntToResult('hunt rmm desktopnow 5d', erin);

    expect(cardText(card)).toContain('Requested by Alice');
    expect(refreshOf(card).userIds).toEqual([alice.userId]);
    expect(memberReads(erin.conversationId).length).toBeGreaterThan(0);
    expect(memberReads(erin.conversationId).every((r) => r.status === 403)).toBe(true);
    const logged = logs.filter((l) => l.event === 'conversation-members-unreadable');
    expect(logged).toEqual([expect.objectContaining({ status: 403 })]);
  });
});
