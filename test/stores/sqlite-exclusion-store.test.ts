import * as fs from 'node:fs';
import * as path from 'node:path';
import { openSqlite } from '../../src/stores/sqlite-driver';
import { EXCLUSION_WATCHLIST_COLUMNS } from '../../src/kql/schema';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { StoreWriteError } from '../../src/stores/store-errors';
import { auditEntry, exclusion, temporaryFolder } from './exclusion-fixture';

describe('SqliteExclusionStore', () => {
  let folder: ReturnType<typeof temporaryFolder>;
  let file: string;
  const stores: SqliteExclusionStore[] = [];

  function open(at = file): SqliteExclusionStore {
    const store = new SqliteExclusionStore(at);
    stores.push(store);
    return store;
  }

  beforeEach(() => {
    folder = temporaryFolder();
    file = path.join(folder.dir, 'nested', 'huntbot.db');
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    folder.cleanup();
  });

  test('creates the folder and the database file, in WAL mode', () => {
    open();

    expect(fs.existsSync(file)).toBe(true);
    const probe = openSqlite(file, { readonly: true });
    try {
      expect(probe.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      probe.close();
    }
  });

  test('tagging the same device twice leaves one row holding the latest tag', async () => {
    const store = open();
    await store.upsert(exclusion({ scenario: 'it-admin-tool' }));

    const saved = await store.upsert(exclusion({ scenario: 'vendor-support', taggedByName: 'Bob' }));

    const all = await store.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ scenario: 'vendor-support', taggedByName: 'Bob' });
    expect(saved).toEqual(all[0]);
  });

  test('concurrent tags of different devices from two connections both land', async () => {
    const first = open();
    const second = open();

    await Promise.all([
      first.upsert(exclusion({ deviceId: 'dev-a' })),
      second.upsert(exclusion({ deviceId: 'dev-b' })),
    ]);

    expect((await open().list()).map((e) => e.deviceId).sort()).toEqual(['dev-a', 'dev-b']);
  });

  test('lists only the tags of the hunt asked for', async () => {
    const store = open();
    await store.upsert(exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'dev-1' }));
    await store.upsert(exclusion({ huntKey: 'rmm/anydesk', deviceId: 'dev-1' }));
    await store.upsert(exclusion({ huntKey: 'rmm/anydesk', deviceId: 'dev-2' }));

    const anydesk = await store.list('rmm/anydesk');

    expect(anydesk.map((e) => e.searchKey)).toEqual(['rmm/anydesk|dev-1', 'rmm/anydesk|dev-2']);
    expect(await store.list()).toHaveLength(3);
  });

  test('remove deletes the tag and reports whether there was one', async () => {
    const store = open();
    await store.upsert(exclusion());

    expect(await store.remove('rmm/desktopnow|dev-0001')).toBe(true);
    expect(await store.remove('rmm/desktopnow|dev-0001')).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  test('tags survive closing and reopening the file', async () => {
    const store = open();
    await store.upsert(exclusion());
    await store.close();

    expect(await open().list()).toEqual([exclusion()]);
  });

  test('refuses a tag whose searchKey does not match its hunt and device, storing nothing', async () => {
    const store = open();

    await expect(store.upsert(exclusion({ searchKey: 'rmm/desktopnow|someone-else' }))).rejects.toBeInstanceOf(StoreWriteError);
    expect(await store.list()).toEqual([]);
  });

  test('the audit trail keeps every entry in order', async () => {
    const store = open();
    await store.audit(auditEntry({ action: 'tag' }));
    await store.audit(auditEntry({ action: 'untag', atUtc: '2024-05-02T10:00:00.000Z' }));
    await store.audit(auditEntry({ action: 'denied', searchKey: 'rmm/anydesk|dev-9' }));

    expect((await store.auditTrail()).map((e) => e.action)).toEqual(['tag', 'untag', 'denied']);
    expect(await store.auditTrail('rmm/anydesk|dev-9')).toEqual([auditEntry({ action: 'denied', searchKey: 'rmm/anydesk|dev-9' })]);
  });

  test('the database itself refuses to update or delete audit rows', async () => {
    const store = open();
    await store.audit(auditEntry());
    const other = openSqlite(file);
    try {
      expect(() => other.prepare("UPDATE audit SET detail = 'rewritten'").run()).toThrow(/append-only/);
      expect(() => other.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    } finally {
      other.close();
    }
    expect(await store.auditTrail()).toEqual([auditEntry()]);
  });

  test('no store source contains an UPDATE or DELETE statement against the audit table', () => {
    const dir = path.join(__dirname, '../../src/stores');
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      expect({ name, hits: source.match(/\b(UPDATE\s+audit\b|DELETE\s+FROM\s+audit\b)/gi) }).toEqual({ name, hits: null });
    }
  });

  test('watchlistRows gives _GetWatchlist-shaped rows for the embedded engine', async () => {
    const store = open();
    await store.upsert(exclusion());

    const rows = store.watchlistRows();

    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(EXCLUSION_WATCHLIST_COLUMNS.map((c) => c.name).sort());
    expect(rows[0]).toMatchObject({ SearchKey: 'rmm/desktopnow|dev-0001', DeviceId: 'dev-0001', ExpiresAtUtc: '' });
  });
});
