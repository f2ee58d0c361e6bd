import * as path from 'node:path';
import pino from 'pino';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { SqliteExclusionStore, WatchlistExclusionStore, createExclusionStore } from '../../src/stores';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { auditEntry, exclusion, temporaryFolder } from './exclusion-fixture';

const silent = pino({ level: 'silent' });

describe('createExclusionStore', () => {
  let folder: ReturnType<typeof temporaryFolder>;

  beforeEach(() => {
    folder = temporaryFolder();
  });
  afterEach(() => folder.cleanup());

  test('without watchlist settings it stores tags in SQLite at storePath', async () => {
    const storePath = path.join(folder.dir, 'tags.db');
    const store = createExclusionStore({ storePath, watchlistAlias: 'HuntBotExclusions', logger: silent });
    try {
      await store.upsert(exclusion());

      expect(store).toBeInstanceOf(SqliteExclusionStore);
      const reader = new SqliteExclusionStore(storePath);
      expect(await reader.list()).toEqual([exclusion()]);
      await reader.close();
    } finally {
      await store.close?.();
    }
  });

  test('with subscription, resource group and workspace name it writes to the Sentinel watchlist', async () => {
    const arm = await FakeWatchlistServer.start();
    const storePath = path.join(folder.dir, 'audit.db');
    const store = createExclusionStore({
      storePath,
      watchlist: { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg', workspaceName: 'law' },
      watchlistAlias: 'HuntBotExclusions',
      arm: readAzureCloudSettings({ ARM_ENDPOINT: arm.endpoint }).settings.arm,
      credential: new FakeTokenCredential(),
      logger: silent,
    });
    try {
      await store.upsert(exclusion());
      await store.audit(auditEntry());

      expect(store).toBeInstanceOf(WatchlistExclusionStore);
      expect(arm.items('HuntBotExclusions')).toHaveLength(1);
      // The local audit copy lives at storePath; no tags are kept there.
      const reader = new SqliteExclusionStore(storePath);
      expect(await reader.auditTrail()).toEqual([auditEntry()]);
      await reader.close();
    } finally {
      await store.close?.();
      await arm.close();
    }
  });

  test('partial watchlist settings are an error, not a silent fallback to SQLite', () => {
    expect(() =>
      createExclusionStore({
        storePath: path.join(folder.dir, 'x.db'),
        watchlist: { subscriptionId: 'sub', resourceGroup: '', workspaceName: 'law' },
        watchlistAlias: 'HuntBotExclusions',
        logger: silent,
      }),
    ).toThrow(/resourceGroup/);
  });
});
