import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData, invokeValue } from '../support/card-actions';
import { withFixtureStore } from '../support/fixture-store';
import { cardText } from '../support/card-text';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { searchKeyOf } from '../../src/stores/exclusion-store';

const alice = defaultIdentity('Alice');
const bob: ChatIdentity = { ...defaultIdentity('Bob'), userId: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
const carol: ChatIdentity = { ...defaultIdentity('Carol'), userId: '29:carol', aadObjectId: '00000000-0000-0000-0000-0000000000c3' };

describe('Universal Actions refresh: each person sees the current tags on their own view', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture({ HUNT_RESULT_TTL_SECONDS: '0' });
  }, 60_000);
  afterAll(async () => {
    await harness?.stop();
  });

  it('asks Teams to refresh the result card for the people of the run, and answers each with the store\'s tags on their own view', async () => {
    const { messageId, card } = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    const refresh = card.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] };
    expect(refresh.action.verb).toBe('results.refresh');
    expect(refresh.userIds).toEqual([`8:orgid:${alice.aadObjectId}`]);

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
    expect((forCarol.refresh as { userIds: string[] }).userIds).toEqual([`8:orgid:${alice.aadObjectId}`, `8:orgid:${carol.aadObjectId}`]);
  });
});
