import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import type { FixtureHarness } from './bot-harness';

/** Opens the harness bot's own tag store (as another instance or the CLI would), uses it, and closes it again. */
export async function withFixtureStore<T>(harness: FixtureHarness, use: (store: SqliteExclusionStore) => Promise<T>): Promise<T> {
  const store = new SqliteExclusionStore(harness.fixture.storePath);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
