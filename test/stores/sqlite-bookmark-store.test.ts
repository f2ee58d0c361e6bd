import * as path from 'node:path';
import type { HuntBookmark } from '../../src/domain/bookmark';
import { SqliteBookmarkStore } from '../../src/stores/sqlite-bookmark-store';
import { auditEntry, temporaryFolder } from './exclusion-fixture';

function bookmark(overrides: Partial<HuntBookmark> = {}): HuntBookmark {
  return {
    bookmarkId: 'b0000000-0000-5000-8000-000000000001',
    runId: 'run-1',
    huntKey: 'rmm/desktopnow',
    displayName: 'DesktopNow on pc-0001',
    query: 'DeviceProcessEvents | take 1',
    queryStartTime: '2024-05-01T00:00:00.000Z',
    queryEndTime: '2024-05-02T00:00:00.000Z',
    queryResult: '{"DeviceName":"pc-0001"}',
    notes: 'Looks odd',
    labels: ['huntbot', 'rmm/desktopnow'],
    entityMappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', value: 'pc-0001' }] }],
    deviceId: 'dev-0001',
    deviceName: 'pc-0001',
    createdByAadObjectId: 'a11ce000-0000-0000-0000-000000000001',
    createdByName: 'Alice',
    createdAtUtc: '2024-05-01T10:00:00.000Z',
    url: '',
    incidents: [],
    ...overrides,
  };
}

// Runs on whichever SQLite driver this Node uses (better-sqlite3 on 20, node:sqlite on 22+): the two differ on
// named parameters, which is how a bookmark once failed to save on Node 24 only.
describe('SqliteBookmarkStore', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let store: SqliteBookmarkStore;

  beforeEach(() => {
    folder = temporaryFolder();
    store = new SqliteBookmarkStore(path.join(folder.dir, 'local.db'));
  });
  afterEach(async () => {
    await store.close();
    folder.cleanup();
  });

  test('creates a bookmark once, with its audit entry, and says so the second time', async () => {
    const audit = auditEntry({ action: 'bookmark', detail: 'Looks odd' });
    expect(await store.create(bookmark(), audit)).toEqual({ bookmark: bookmark(), created: true });
    expect((await store.create(bookmark({ notes: 'again' }), audit)).created).toBe(false);

    expect(await store.list()).toEqual([bookmark()]);
    expect(await store.get(bookmark().bookmarkId)).toEqual(bookmark());
  });

  test('records an incident number on the stored bookmark once', async () => {
    const audit = auditEntry({ action: 'bookmark' });
    await store.create(bookmark(), audit);

    expect((await store.addToIncident(bookmark(), 7, 'comment', audit)).newlyRelated).toBe(true);
    expect((await store.addToIncident(bookmark(), 7, 'comment', audit)).newlyRelated).toBe(false);
    expect((await store.get(bookmark().bookmarkId))?.incidents.map((i) => i.number)).toEqual([7]);
  });
});
