import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { StoreWriteError } from '../../src/stores/store-errors';
import { SqliteAuditLog } from '../../src/stores/sqlite-audit-log';
import { openSqliteDatabase } from '../../src/stores/sqlite-database';
import { exclusionItemId } from '../../src/stores/uuid-v5';
import {
  WATCHLIST_API_VERSION,
  WatchlistExclusionStore,
  type WatchlistExclusionStoreOptions,
} from '../../src/stores/watchlist-exclusion-store';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { auditEntry, exclusion, temporaryFolder } from './exclusion-fixture';

const SUB = '00000000-aaaa-bbbb-cccc-000000000001';
const RG = 'rg-sentinel';
const WS = 'law-sentinel';
const ALIAS = 'HuntBotExclusions';
const ARM_SCOPE = 'https://management.azure.com/.default';
const WATCHLIST_PATH = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}/providers/Microsoft.SecurityInsights/watchlists/${ALIAS}`;

/** A real pino logger writing JSON lines into memory, so tests can read what was logged. */
function memoryLogger(): { logger: pino.Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('WatchlistExclusionStore against a local ARM watchlist API', () => {
  let arm: FakeWatchlistServer;
  let credential: FakeTokenCredential;
  let log: ReturnType<typeof memoryLogger>;
  const stores: WatchlistExclusionStore[] = [];

  function store(overrides: Partial<WatchlistExclusionStoreOptions> = {}): WatchlistExclusionStore {
    const { settings } = readAzureCloudSettings({ ARM_ENDPOINT: arm.endpoint });
    const created = new WatchlistExclusionStore({
      arm: settings.arm,
      credential,
      subscriptionId: SUB,
      resourceGroup: RG,
      workspaceName: WS,
      alias: ALIAS,
      logger: log.logger,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 2_000 },
      requestTimeoutMs: 10_000,
      ...overrides,
    });
    stores.push(created);
    return created;
  }

  beforeEach(async () => {
    arm = await FakeWatchlistServer.start({ expectedScope: ARM_SCOPE });
    credential = new FakeTokenCredential();
    log = memoryLogger();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await arm.close();
  });

  test('creates the watchlist when it is missing, then writes the tag at its UUID v5 item id', async () => {
    await store().upsert(exclusion());

    expect(arm.watchlist(ALIAS)?.properties).toMatchObject({
      displayName: ALIAS,
      provider: 'Sentinel Hunt Bot',
      source: 'Local file',
      itemsSearchKey: 'SearchKey',
    });
    expect(arm.items(ALIAS).map((i) => i.name)).toEqual([exclusionItemId('rmm/desktopnow|dev-0001')]);
    expect(arm.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${WATCHLIST_PATH}`,
      `PUT ${WATCHLIST_PATH}`,
      `PUT ${WATCHLIST_PATH}/watchlistItems/${exclusionItemId('rmm/desktopnow|dev-0001')}`,
    ]);
  });

  test('sends api-version 2025-09-01 and a bearer token for the ARM scope on every request', async () => {
    await store().upsert(exclusion());

    expect(arm.requests.every((r) => r.apiVersion === WATCHLIST_API_VERSION && r.tokenScope === ARM_SCOPE)).toBe(true);
    expect(credential.requestedScopes.every((s) => s[0] === ARM_SCOPE)).toBe(true);
  });

  test('writes every column of the tag into itemsKeyValue', async () => {
    await store().upsert(exclusion({ expiresAtUtc: '2024-06-01T00:00:00.000Z' }));

    expect(arm.items(ALIAS)[0]?.properties.itemsKeyValue).toEqual({
      SearchKey: 'rmm/desktopnow|dev-0001',
      HuntKey: 'rmm/desktopnow',
      DeviceId: 'dev-0001',
      DeviceName: 'pc-0001.contoso.com',
      Scenario: 'it-admin-tool',
      Justification: 'Helpdesk uses DesktopNow on this jump box',
      TaggedByUpn: 'alice@contoso.com',
      TaggedByAadObjectId: 'a11ce000-0000-0000-0000-000000000001',
      TaggedByName: 'Alice',
      TaggedAtUtc: '2024-05-01T10:00:00.000Z',
      ExpiresAtUtc: '2024-06-01T00:00:00.000Z',
    });
  });

  test('uses an existing watchlist without recreating it', async () => {
    arm.seedWatchlist(ALIAS);

    await store().upsert(exclusion());

    expect(arm.requests.filter((r) => r.method === 'PUT' && r.path === WATCHLIST_PATH)).toHaveLength(0);
    expect(arm.watchlist(ALIAS)?.properties.provider).toBe('Microsoft');
  });

  test('tagging the same device twice is an idempotent PUT of one item, last writer wins', async () => {
    const s = store();
    await s.upsert(exclusion({ scenario: 'it-admin-tool' }));

    const saved = await s.upsert(exclusion({ scenario: 'vendor-support', taggedByName: 'Bob' }));

    const itemPuts = arm.requests.filter((r) => r.method === 'PUT' && r.path.includes('/watchlistItems/'));
    expect(new Set(itemPuts.map((r) => r.path)).size).toBe(1);
    expect(arm.items(ALIAS)).toHaveLength(1);
    expect(saved).toMatchObject({ scenario: 'vendor-support', taggedByName: 'Bob' });
    expect(arm.items(ALIAS)[0]?.properties.updatedBy.name).toBe('huntbot-identity');
  });

  test('lists every tag across nextLink pages and filters by hunt key', async () => {
    await arm.close();
    arm = await FakeWatchlistServer.start({ pageSize: 2 });
    const s = store();
    for (const deviceId of ['d1', 'd2', 'd3', 'd4']) await s.upsert(exclusion({ deviceId }));
    await s.upsert(exclusion({ huntKey: 'rmm/anydesk', deviceId: 'd1' }));

    const all = await s.list();
    const anydesk = await s.list('rmm/anydesk');

    expect(all.map((e) => e.searchKey).sort()).toEqual([
      'rmm/anydesk|d1',
      'rmm/desktopnow|d1',
      'rmm/desktopnow|d2',
      'rmm/desktopnow|d3',
      'rmm/desktopnow|d4',
    ]);
    expect(anydesk.map((e) => e.searchKey)).toEqual(['rmm/anydesk|d1']);
    expect(arm.requests.filter((r) => r.method === 'GET' && r.skipToken !== undefined).map((r) => r.skipToken)).toEqual([
      '2',
      '4',
      '2',
      '4',
    ]);
  });

  test("ignores watchlist rows the bot did not write (the portal's default entry)", async () => {
    arm.seedWatchlist(ALIAS, {}, [{ SearchKey: 'placeholder', Note: 'created in the portal' }]);
    const s = store();
    await s.upsert(exclusion());

    expect((await s.list()).map((e) => e.searchKey)).toEqual(['rmm/desktopnow|dev-0001']);
  });

  test('listing before any watchlist exists returns nothing and creates nothing', async () => {
    expect(await store().list()).toEqual([]);
    expect(arm.watchlist(ALIAS)).toBeUndefined();
  });

  test('a 429 is retried after the Retry-After seconds and then the tag is saved', async () => {
    arm.seedWatchlist(ALIAS);
    const s = store();
    await s.list();
    arm.failNext({ status: 429, retryAfterSeconds: 1 });
    const started = Date.now();

    await s.upsert(exclusion());

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(arm.items(ALIAS)).toHaveLength(1);
    expect(log.lines().some((l) => l.msg === 'watchlist request failed; retrying' && l.delayMs === 1000)).toBe(true);
  });

  test('a 500 is retried and the tag is saved', async () => {
    arm.failNext({ status: 500 }, 2);

    await store().upsert(exclusion());

    expect(arm.items(ALIAS)).toHaveLength(1);
    expect(arm.requests.filter((r) => r.fault)).toHaveLength(2);
  });

  test('a request that hangs past the deadline is retried', async () => {
    arm.failNext({ hang: true });

    await store({ requestTimeoutMs: 200 }).upsert(exclusion());

    expect(arm.items(ALIAS)).toHaveLength(1);
  });

  test('when every retry fails the write rejects with a transient StoreWriteError and nothing is stored', async () => {
    arm.seedWatchlist(ALIAS);
    const s = store();
    await s.list();
    arm.failNext({ status: 503, code: 'ServiceUnavailable', message: 'Try later' }, 3);

    const error = await s.upsert(exclusion()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreWriteError);
    expect(error).toMatchObject({
      operation: 'upsert',
      details: { searchKey: 'rmm/desktopnow|dev-0001', transient: true, statusCode: 503, code: 'ServiceUnavailable' },
    });
    expect((error as Error).message).toMatch(/^Tag not saved — retry/);
    expect(arm.items(ALIAS)).toEqual([]);
    expect(arm.requests.filter((r) => r.fault)).toHaveLength(3);
  });

  test('a 403 is not retried and says which role the identity needs', async () => {
    arm.failNext({ status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization' });

    const error = await store().upsert(exclusion()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreWriteError);
    expect(error).toMatchObject({ details: { transient: false, statusCode: 403 } });
    expect((error as Error).message).toContain('Microsoft Sentinel Contributor');
    expect(arm.requests).toHaveLength(1);
  });

  test('a credential without a token fails the write with advice and sends nothing', async () => {
    credential.failWith(Object.assign(new Error('Please run az login'), { name: 'CredentialUnavailableError' }));

    const error = await store().upsert(exclusion()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as Error).message).toContain('Please run az login');
    expect(arm.requests).toHaveLength(0);
  });

  test('untag deletes the item and reports whether there was one', async () => {
    const s = store();
    await s.upsert(exclusion());

    expect(await s.remove('rmm/desktopnow|dev-0001')).toBe(true);
    expect(await s.remove('rmm/desktopnow|dev-0001')).toBe(false);
    expect(arm.items(ALIAS)).toEqual([]);
  });

  test('untag before any watchlist exists reports nothing removed and creates nothing', async () => {
    expect(await store().remove('rmm/desktopnow|dev-0001')).toBe(false);
    expect(arm.watchlist(ALIAS)).toBeUndefined();
  });

  test('a watchlist deleted in the portal is recreated on the next tag', async () => {
    const s = store();
    await s.upsert(exclusion({ deviceId: 'd1' }));
    arm.dropWatchlist(ALIAS);

    await s.upsert(exclusion({ deviceId: 'd2' }));

    expect(arm.items(ALIAS).map((i) => i.properties.itemsKeyValue.DeviceId)).toEqual(['d2']);
  });

  test('audit writes a structured log line and appends to the local SQLite trail when a path is given', async () => {
    const folder = temporaryFolder();
    try {
      const auditPath = path.join(folder.dir, 'audit.db');
      const s = store({ auditPath });

      await s.audit(auditEntry({ action: 'untag' }));
      await s.close();

      expect(log.lines()).toContainEqual(expect.objectContaining({ audit: auditEntry({ action: 'untag' }), alias: ALIAS }));
      const db = openSqliteDatabase(auditPath);
      try {
        expect(new SqliteAuditLog(db).entries()).toEqual([auditEntry({ action: 'untag' })]);
      } finally {
        db.close();
      }
    } finally {
      folder.cleanup();
    }
  });

  test('the audit trail records what ARM answered for each write, failures included', async () => {
    const folder = temporaryFolder();
    try {
      const auditPath = path.join(folder.dir, 'audit.db');
      const s = store({ auditPath });

      await s.upsert(exclusion(), auditEntry({ action: 'tag' }));
      arm.failNext({ status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization' });
      await expect(s.upsert(exclusion({ scenario: 'vendor-support' }), auditEntry({ action: 'tag' }))).rejects.toBeInstanceOf(StoreWriteError);
      await s.remove('rmm/desktopnow|dev-0001', auditEntry({ action: 'untag' }));
      await s.remove('rmm/desktopnow|dev-0001', auditEntry({ action: 'untag' }));
      await s.close();

      const db = openSqliteDatabase(auditPath);
      try {
        const outcomes = new SqliteAuditLog(db).entries().map((e) => [e.action, e.outcome]);
        expect(outcomes).toEqual([
          ['tag', 'saved (HTTP 201)'],
          ['tag', expect.stringMatching(/^failed: Tag not saved: .*403|^failed: Tag not saved: .*authorization/)],
          ['untag', 'removed (HTTP 200)'],
          ['untag', 'nothing to remove (HTTP 204)'],
        ]);
      } finally {
        db.close();
      }
      expect(log.lines().filter((l) => l.audit).map((l) => (l.audit as { outcome?: string }).outcome)).toHaveLength(4);
    } finally {
      folder.cleanup();
    }
  });

  test('a write ARM accepted stays saved when the local audit copy cannot be appended; the log line is the record', async () => {
    const folder = temporaryFolder();
    try {
      const auditPath = path.join(folder.dir, 'audit.db');
      const s = store({ auditPath });
      const damage = openSqliteDatabase(auditPath);
      damage.exec(`CREATE TRIGGER audit_damaged BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
      damage.close();

      await expect(s.upsert(exclusion(), auditEntry({ action: 'tag' }))).resolves.toMatchObject({ deviceId: 'dev-0001' });

      expect(arm.items(ALIAS)).toHaveLength(1);
      expect(log.lines()).toContainEqual(expect.objectContaining({ audit: expect.objectContaining({ action: 'tag', outcome: 'saved (HTTP 201)' }) }));
      expect(log.lines()).toContainEqual(expect.objectContaining({ level: 50, msg: expect.stringContaining('local audit copy') }));
    } finally {
      folder.cleanup();
    }
  });

  test('never logs the bearer token', async () => {
    arm.failNext({ status: 500 });
    await store().upsert(exclusion());

    expect(JSON.stringify(log.lines())).not.toContain('fake-token');
  });
});

describe('WatchlistExclusionStore in a sovereign cloud', () => {
  test('AZURE_CLOUD=AzureUSGovernment asks for a token for the US Government ARM audience', async () => {
    const govScope = 'https://management.usgovcloudapi.net/.default';
    const arm = await FakeWatchlistServer.start({ expectedScope: govScope });
    try {
      const { settings } = readAzureCloudSettings({ AZURE_CLOUD: 'AzureUSGovernment', ARM_ENDPOINT: arm.endpoint });
      const credential = new FakeTokenCredential();
      const s = new WatchlistExclusionStore({
        arm: settings.arm,
        credential,
        subscriptionId: SUB,
        resourceGroup: RG,
        workspaceName: WS,
        alias: ALIAS,
        logger: memoryLogger().logger,
      });

      await s.upsert(exclusion());

      expect(credential.requestedScopes[0]).toEqual([govScope]);
      expect(arm.items(ALIAS)).toHaveLength(1);
    } finally {
      await arm.close();
    }
  });
});
