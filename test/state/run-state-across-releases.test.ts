import { ContainerClient } from '@azure/storage-blob';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { createStateStore } from '../../src/bot/blob-state-store';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import type { StateStore } from '../../src/state/state-store';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionData, type Card } from '../support/card-actions';
import { cardText } from '../support/card-text';

/** Card buttons outlive a deploy: the run they name may have been stored by the release before, or after, this one. */
describe('card buttons on runs stored by another release (Blob Storage on Azurite)', () => {
  let azurite: RunningAzurite;
  let harness: FixtureHarness;
  let state: StateStore;
  let env: Record<string, string>;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    azurite = await startAzurite();
    env = { HUNT_STATE_BLOB_CONNECTION_STRING: azurite.connectionString, HUNT_STATE_BLOB_CONTAINER: 'huntbot-state' };
    state = createStateStore({ kind: 'azure-blob', connectionString: azurite.connectionString, container: 'huntbot-state' }).store;
    // The engine in the bot's own thread (a supported setting): these runs are about what Blob holds, and a worker pool costs seconds of CPU to start.
    harness = await BotHarness.startOnDesktopNowFixture({ ...env, HUNT_ENGINE_WORKERS: '0' });
  });

  afterAll(async () => {
    await harness?.stop();
    await azurite?.stop();
  });

  const hunt = async () => {
    const result = await harness.huntToResult('hunt rmm desktopnow 5d', alice);
    return { ...result, runId: String(actionData(result.card, 'hit.tag', 'dev-a').runId) };
  };
  const stored = async (runId: string) => (await state.read<Record<string, unknown>>(`runs/${runId}`))!.value;

  it('tags a device on a result stored by the previous release (no schemaVersion), and stores the run back in the current version', async () => {
    const { messageId, card, runId } = await hunt();
    const { schemaVersion, ...previousRelease } = await stored(runId);
    expect(schemaVersion).toBe(2);
    await state.write(`runs/${runId}`, previousRelease);

    const saved = await harness.execute(messageId, 'hit.tag.save', { ...actionData(card, 'hit.tag', 'dev-a'), scenario: 'backup-job', justification: 'Nightly backups' }, alice);
    expect(saved.status).toBe(200);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: Backup job execution — Alice');
    const after = await stored(runId);
    expect(after.schemaVersion).toBe(2);
    expect(JSON.stringify(after.hits)).toContain('backup-job');
    await harness.say('untag rmm desktopnow dev-a', alice);
  });

  it('says a result stored by a newer release, or one that is no longer JSON, is no longer available', async () => {
    const newer = await hunt();
    await state.write(`runs/${newer.runId}`, { ...(await stored(newer.runId)), schemaVersion: 3 });
    const damaged = await hunt();
    const body = '{"value": {"runId": ';
    await new ContainerClient(azurite.connectionString, env.HUNT_STATE_BLOB_CONTAINER)
      .getBlockBlobClient(sanitizeBlobKey(`runs/${damaged.runId}`))
      .upload(body, Buffer.byteLength(body));

    for (const { messageId, card } of [newer, damaged]) {
      const pressed = await harness.execute(messageId, 'hit.tag', actionData(card, 'hit.tag', 'dev-a'), alice);
      expect(pressed.status).toBe(200);
      expect((pressed.body as { value: string }).value).toContain('This result is no longer available');
    }
  });
});
