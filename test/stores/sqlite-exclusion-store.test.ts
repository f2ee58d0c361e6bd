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

  test('a tag and its audit entry are written together, the entry saying what happened', async () => {
    const store = open();

    await store.upsert(exclusion(), auditEntry({ action: 'tag' }));
    await store.remove('rmm/desktopnow|dev-0001', auditEntry({ action: 'untag' }));
    await store.remove('rmm/desktopnow|dev-0001', auditEntry({ action: 'untag' }));

    expect((await store.auditTrail()).map((e) => [e.action, e.outcome])).toEqual([
      ['tag', 'saved'],
      ['untag', 'removed'],
      ['untag', 'nothing to remove'],
    ]);
  });

  test('when the audit table refuses the entry, neither the tag nor its removal is written', async () => {
    const store = open();
    await store.upsert(exclusion(), auditEntry({ action: 'tag' }));
    const damage = openSqlite(file);
    try {
      damage.exec(`CREATE TRIGGER audit_damaged BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);

      await expect(store.upsert(exclusion({ deviceId: 'dev-0002' }), auditEntry({ searchKey: 'rmm/desktopnow|dev-0002' }))).rejects.toBeInstanceOf(StoreWriteError);
      await expect(store.remove('rmm/desktopnow|dev-0001', auditEntry({ action: 'untag' }))).rejects.toBeInstanceOf(StoreWriteError);

      expect((await store.list()).map((e) => e.deviceId)).toEqual(['dev-0001']);
      expect((await store.auditTrail()).map((e) => e.action)).toEqual(['tag']);
    } finally {
      damage.close();
    }
  });

  test('an audit table from before outcomes were kept gets the column and keeps its rows', async () => {
    const old = openSqlite(file.replace('nested', ''));
    old.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, search_key TEXT NOT NULL,
      actor_aad_object_id TEXT NOT NULL, actor_name TEXT NOT NULL, actor_upn TEXT NOT NULL, conversation_id TEXT NOT NULL,
      at_utc TEXT NOT NULL, detail TEXT NOT NULL);`);
    old.prepare(`INSERT INTO audit (action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail)
      VALUES ('tag', 'rmm/desktopnow|dev-0001', 'a11ce000-0000-0000-0000-000000000001', 'Alice', 'alice@contoso.com', '19:abc@thread.tacv2', '2024-05-01T10:00:00.000Z', 'scenario it-admin-tool')`).run();
    old.close();
    const store = open(file.replace('nested', ''));

    await store.upsert(exclusion(), auditEntry({ atUtc: '2024-05-02T10:00:00.000Z' }));

    expect(await store.auditTrail()).toEqual([auditEntry(), auditEntry({ atUtc: '2024-05-02T10:00:00.000Z', outcome: 'saved' })]);
  });

  test('an audit trail from before bookmarks were audited is widened once, keeping its rows, ids and append-only rule', async () => {
    const old = openSqlite(file.replace('nested', ''));
    old.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL CHECK (action IN ('tag', 'untag', 'denied')),
      search_key TEXT NOT NULL, actor_aad_object_id TEXT NOT NULL, actor_name TEXT NOT NULL, actor_upn TEXT NOT NULL,
      conversation_id TEXT NOT NULL, at_utc TEXT NOT NULL, detail TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT '');
      CREATE TRIGGER audit_is_append_only_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;`);
    old.prepare(`INSERT INTO audit (action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail, outcome)
      VALUES ('tag', 'rmm/desktopnow|dev-0001', 'a11ce000-0000-0000-0000-000000000001', 'Alice', 'alice@contoso.com', '19:abc@thread.tacv2', '2024-05-01T10:00:00.000Z', 'scenario it-admin-tool', 'saved')`).run();
    old.close();
    const store = open(file.replace('nested', ''));

    await store.audit(auditEntry({ action: 'bookmark', detail: 'bookmark b-1', outcome: 'created' }));

    expect((await store.auditTrail()).map((e) => [e.action, e.outcome])).toEqual([['tag', 'saved'], ['bookmark', 'created']]);
    const other = openSqlite(file.replace('nested', ''));
    try {
      expect(() => other.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
      expect(() => other.prepare("INSERT INTO audit (action, search_key, actor_aad_object_id, actor_name, actor_upn, conversation_id, at_utc, detail) VALUES ('rewrite', 'k', '', '', '', '', '', '')").run()).toThrow(/CHECK/);
    } finally {
      other.close();
    }
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
