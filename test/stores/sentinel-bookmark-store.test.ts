import * as path from 'node:path';
import { readAzureCloudSettings } from '../../src/azure/cloud';
import { silentLogger } from '../../src/logging/logger';
import { EscalationError } from '../../src/stores/bookmark-store';
import { SENTINEL_API_VERSION, SentinelBookmarkStore } from '../../src/stores/sentinel-bookmark-store';
import { SqliteAuditLog } from '../../src/stores/sqlite-audit-log';
import { openSqliteDatabase } from '../../src/stores/sqlite-database';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeSentinelResources } from '../fakes/sentinel-resources';
import { FakeWatchlistServer } from '../fakes/watchlist-server';
import { KQL, alice, bookmarkAudit, hit, runWithHit, sampleBookmark } from '../escalation/bookmark-fixture';
import { BookmarkService } from '../../src/escalation/bookmark-service';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { temporaryFolder } from './exclusion-fixture';

const SUB = '00000000-aaaa-bbbb-cccc-000000000001';
const RG = 'rg-sentinel';
const WS = 'law-sentinel';
const ARM_SCOPE = 'https://management.azure.com/.default';
const WORKSPACE = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}`;
const SI = `${WORKSPACE}/providers/Microsoft.SecurityInsights`;

describe('SentinelBookmarkStore against local ARM bookmarks, incidents, relations and comments', () => {
  let arm: FakeWatchlistServer;
  let sentinel: FakeSentinelResources;
  let folder: ReturnType<typeof temporaryFolder>;
  const stores: SentinelBookmarkStore[] = [];

  function store(offerDeadlineMs?: number): SentinelBookmarkStore {
    const { settings } = readAzureCloudSettings({ ARM_ENDPOINT: arm.endpoint });
    const created = new SentinelBookmarkStore({
      arm: settings.arm,
      credential: new FakeTokenCredential(),
      subscriptionId: SUB,
      resourceGroup: RG,
      workspaceName: WS,
      portalUrlOf: (id) => `https://portal.azure.com/#resource${id}`,
      logger: silentLogger,
      auditPath: path.join(folder.dir, 'audit.db'),
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 2_000 },
      requestTimeoutMs: 10_000,
      ...(offerDeadlineMs !== undefined ? { offerDeadlineMs } : {}),
    });
    stores.push(created);
    return created;
  }

  function auditTrail() {
    const db = openSqliteDatabase(path.join(folder.dir, 'audit.db'));
    try {
      return new SqliteAuditLog(db).entries();
    } finally {
      db.close();
    }
  }

  beforeEach(async () => {
    folder = temporaryFolder();
    sentinel = new FakeSentinelResources(() => arm.endpoint, { pageSize: 2 });
    arm = await FakeWatchlistServer.start({ expectedScope: ARM_SCOPE, routes: sentinel });
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await arm.close();
    folder.cleanup();
  });

  test('creates the bookmark at its derived id with the documented body: query, window, result row, Host entity, note and labels', async () => {
    const bookmark = sampleBookmark();
    const { bookmark: stored, created } = await store().create(bookmark, bookmarkAudit());

    expect(created).toBe(true);
    const put = sentinel.served.find((s) => s.operation === 'PUT bookmark')!;
    expect(put.path).toBe(`${SI}/bookmarks/${bookmark.bookmarkId}`);
    expect(arm.requests.every((r) => r.apiVersion === SENTINEL_API_VERSION && r.tokenScope === ARM_SCOPE)).toBe(true);
    expect((put.body as { properties: Record<string, unknown> }).properties).toMatchObject({
      displayName: 'DesktopNow · file signature — fin-ws-001.contoso.local',
      query: KQL,
      queryStartTime: '2026-11-23T00:00:00.000Z',
      queryEndTime: '2026-11-28T00:00:00.000Z',
      eventTime: '2026-11-27T10:00:00.000Z',
      labels: ['huntbot', 'rmm-desktopnow-filesig', 'T1219'],
      techniques: ['T1219'],
      entityMappings: [
        { entityType: 'Host', fieldMappings: [{ identifier: 'FullName', value: 'fin-ws-001.contoso.local' }, { identifier: 'HostName', value: 'fin-ws-001' }, { identifier: 'DnsDomain', value: 'contoso.local' }] },
        { entityType: 'FileHash', fieldMappings: [{ identifier: 'Value', value: 'ab'.repeat(32) }, { identifier: 'Algorithm', value: 'SHA256' }] },
      ],
    });
    const properties = (put.body as { properties: { queryResult: string; notes: string } }).properties;
    expect(JSON.parse(properties.queryResult)).toMatchObject({ DeviceId: 'dev-a', DeviceName: 'fin-ws-001.contoso.local', Count: 3, ReportIds: [11, 12, 13] });
    expect(properties.notes).toMatch(/^User denies installing it\n\n — Bookmarked by Alice \(a11ce000-0000-0000-0000-000000000001\)/);
    expect(stored).toMatchObject({ createdByName: 'Alice', deviceId: 'dev-a', runId: 'run-42', huntKey: 'rmm/desktopnow', url: `https://portal.azure.com/#resource${SI}/bookmarks/${bookmark.bookmarkId}` });
    expect(auditTrail().map((e) => [e.action, e.outcome])).toEqual([['bookmark', 'created (HTTP 201)']]);
  });

  test('pressing twice makes one bookmark: the second press finds it and writes nothing', async () => {
    const s = store();
    await s.create(sampleBookmark(), bookmarkAudit());
    const again = await s.create(sampleBookmark('another note'), bookmarkAudit());

    expect(again.created).toBe(false);
    expect(again.bookmark.notes).toContain('User denies installing it');
    expect(sentinel.bookmarks.size).toBe(1);
    expect(sentinel.served.filter((r) => r.operation === 'PUT bookmark')).toHaveLength(1);
    expect(auditTrail().map((e) => e.outcome)).toEqual(['created (HTTP 201)', 'already bookmarked (HTTP 200)']);
  });

  test('a 409 from a simultaneous press that created the same bookmark counts as already bookmarked', async () => {
    const s = store();
    await s.create(sampleBookmark(), bookmarkAudit());
    sentinel.failNext('GET bookmark', { status: 404, code: 'NotFound' });
    sentinel.failNext('PUT bookmark', { status: 409, code: 'Conflict' });

    const result = await s.create(sampleBookmark(), bookmarkAudit());

    expect(result.created).toBe(false);
    expect(sentinel.bookmarks.size).toBe(1);
  });

  test.each([
    [{ status: 409, code: 'Conflict' }, /someone changed it at the same moment \(HTTP 409\)\. Press the button again/],
    [{ status: 412, code: 'PreconditionFailed' }, /HTTP 412/],
    [{ status: 403, code: 'AuthorizationFailed' }, /Grant it Microsoft Sentinel Responder \(or Contributor\) on workspace law-sentinel/],
    [{ status: 429, retryAfterSeconds: 60 }, /throttling requests \(HTTP 429\)\. Try again in 60 s/],
  ])('tells exactly what happened when the PUT answers %j, and records the failure', async (fault, message) => {
    sentinel.failNext('PUT bookmark', fault);
    const error = await store().create(sampleBookmark(), bookmarkAudit()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EscalationError);
    expect((error as Error).message).toMatch(/^The bookmark was NOT created: /);
    expect((error as Error).message).toMatch(message);
    expect(sentinel.bookmarks.size).toBe(0);
    expect(auditTrail()[0]?.outcome).toMatch(/^failed: /);
  });

  test('waits out a short Retry-After on 429 and 5xx, then creates the bookmark', async () => {
    sentinel.failNext('PUT bookmark', { status: 429, retryAfterSeconds: 1 });
    sentinel.failNext('PUT bookmark', { status: 503 });
    const started = Date.now();

    const { created } = await store().create(sampleBookmark(), bookmarkAudit());

    expect(created).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sentinel.served.filter((r) => r.operation === 'PUT bookmark').map((r) => r.status)).toEqual([429, 503, 201]);
  });

  test('says Sentinel is not answering when every attempt gets a 5xx', async () => {
    sentinel.failNext('PUT bookmark', { status: 500 }, 3);
    await expect(store().create(sampleBookmark(), bookmarkAudit())).rejects.toThrow(/not answering properly \(HTTP 500\)\. Try again in a moment/);
  });

  test('adds the bookmark to an incident found by its number: relation to the bookmark, then a comment; again changes nothing', async () => {
    const incidentId = sentinel.seedIncident(WORKSPACE, { number: 1234, title: 'Suspicious remote access' });
    sentinel.seedIncident(WORKSPACE, { number: 99, title: 'Other' });
    const s = store();
    const { bookmark } = await s.create(sampleBookmark(), bookmarkAudit());

    const first = await s.addToIncident(bookmark, 1234, 'Alice added a bookmark', bookmarkAudit({ action: 'incident' }));
    const second = await s.addToIncident(bookmark, 1234, 'Alice added a bookmark', bookmarkAudit({ action: 'incident' }));

    expect(first).toMatchObject({ newlyRelated: true, incident: { number: 1234, incidentId, title: 'Suspicious remote access' } });
    expect(first.incident.url).toContain(incidentId);
    expect(second.newlyRelated).toBe(false);
    const listed = sentinel.served.find((r) => r.operation === 'GET incidents')!;
    expect(new URLSearchParams(listed.query).get('$filter')).toBe('properties/incidentNumber eq 1234');
    const incident = sentinel.incidents.get(incidentId.toLowerCase())!;
    expect([...incident.relations.values()].map((r) => r.properties.relatedResourceId)).toEqual([`${SI}/bookmarks/${bookmark.bookmarkId}`]);
    expect([...incident.comments.values()].map((c) => c.properties.message)).toEqual(['Alice added a bookmark']);
    expect(auditTrail().slice(1).map((e) => [e.action, e.outcome])).toEqual([
      ['incident', 'related to incident #1234, comment added'],
      ['incident', 'already related to incident #1234, comment added'],
    ]);
  });

  test('names an incident number that does not exist, and relates nothing', async () => {
    const s = store();
    const { bookmark } = await s.create(sampleBookmark(), bookmarkAudit());
    await expect(s.addToIncident(bookmark, 777, 'x', bookmarkAudit({ action: 'incident' }))).rejects.toThrow(
      'There is no incident #777 in workspace law-sentinel. Check the number in the portal.',
    );
  });

  test('reports a comment that failed after the relation landed, without undoing the relation', async () => {
    const incidentId = sentinel.seedIncident(WORKSPACE, { number: 5, title: 'T' });
    const s = store();
    const { bookmark } = await s.create(sampleBookmark(), bookmarkAudit());
    sentinel.failNext('PUT comment', { status: 400, code: 'BadRequest', message: 'Comment rejected' });

    const result = await s.addToIncident(bookmark, 5, 'x', bookmarkAudit({ action: 'incident' }));

    expect(result.commentProblem).toMatch(/^The comment was not added: .*Comment rejected/);
    expect(sentinel.incidents.get(incidentId.toLowerCase())!.relations.size).toBe(1);
  });

  test('offers open incidents of the last week whose Host entities include the device, from the first page only, saying the list was cut', async () => {
    const day = 86_400_000;
    const now = Date.now();
    sentinel.seedIncident(WORKSPACE, { number: 1, title: 'has host', hosts: ['FIN-WS-001'], createdTimeUtc: new Date(now - day).toISOString() });
    sentinel.seedIncident(WORKSPACE, { number: 2, title: 'other host', hosts: ['hr-ws-017'], createdTimeUtc: new Date(now - 2 * day).toISOString() });
    sentinel.seedIncident(WORKSPACE, { number: 3, title: 'closed', hosts: ['fin-ws-001'], status: 'Closed', createdTimeUtc: new Date(now - day).toISOString() });
    sentinel.seedIncident(WORKSPACE, { number: 4, title: 'too old', hosts: ['fin-ws-001'], createdTimeUtc: new Date(now - 9 * day).toISOString() });
    sentinel.seedIncident(WORKSPACE, { number: 5, title: 'also has host', hosts: ['fin-ws-001'], status: 'Active', createdTimeUtc: new Date(now - 3 * day).toISOString() });

    const offered = await store().openIncidentsWithHost('fin-ws-001.contoso.local', new Date(now - 7 * day));

    // Pages of 2: the first holds #1 and #2 (newest first); #5 is on the next page, which is not fetched.
    expect(offered.incidents.map((i) => i.number)).toEqual([1]);
    expect(offered.cut).toBe('The list below may be incomplete: only the 2 newest open incidents of the week were checked for this device. Type the incident number if yours is missing.');
    expect(sentinel.served.filter((r) => r.operation === 'GET incidents')).toHaveLength(1);
    expect(sentinel.served.filter((r) => r.operation === 'POST entities')).toHaveLength(2);
  });

  test('asks for at most 20 incidents and stops waiting for entity calls at the offer deadline, offering what it could check', async () => {
    const big = new FakeSentinelResources(() => arm.endpoint, { pageSize: 50 });
    await arm.close();
    arm = await FakeWatchlistServer.start({ expectedScope: ARM_SCOPE, routes: big });
    const now = Date.now();
    for (let n = 1; n <= 30; n++) big.seedIncident(WORKSPACE, { number: n, title: `incident ${n}`, hosts: ['fin-ws-001'], createdTimeUtc: new Date(now - n * 60_000).toISOString() });
    big.failNext('POST entities', { hang: true }, 2);

    const started = Date.now();
    const offered = await store(500).openIncidentsWithHost('fin-ws-001', new Date(now - 7 * 86_400_000));
    const elapsed = Date.now() - started;

    expect(offered.incidents).toHaveLength(18);
    expect(offered.incidents.map((i) => i.number)).toEqual(Array.from({ length: 18 }, (_, i) => i + 3));
    expect(offered.cut).toBe('The list below may be incomplete: 2 of them could not be checked in time. Type the incident number if yours is missing.');
    expect(big.served.filter((r) => r.operation === 'GET incidents')).toHaveLength(1);
    // The deadline, not the 10 s request timeout, ended the wait (generous ceiling: the machine is loaded).
    expect(elapsed).toBeLessThan(5_000);
  });

  test('offers no host-matched incidents for a row about an account, asking Sentinel nothing, and refuses to bookmark a process row', async () => {
    sentinel.seedIncident(WORKSPACE, { number: 1, title: 'has a host named like the account', hosts: ['alice'] });
    const service = new BookmarkService(store(), new RunRegistry(new MemoryStateStore()), silentLogger, () => []);
    const accountRow = hit({ deviceId: 'Account:alice', deviceName: 'alice', evidence: [] });
    expect(await service.offeredIncidents(accountRow, { entityType: 'Account' })).toEqual({ incidents: [] });
    expect(sentinel.served.filter((r) => r.operation === 'GET incidents')).toEqual([]);
    expect((await service.offeredIncidents(hit({ deviceName: 'alice' }))).incidents.map((i) => i.number)).toEqual([1]);

    const processRow = hit({ deviceId: 'Process:cmd.exe /c whoami', deviceName: 'cmd.exe /c whoami', evidence: [] });
    const refused = await service.bookmark({ run: { ...runWithHit(processRow), entityType: 'Process' }, hit: processRow }, '', alice);
    expect(refused).toEqual({ kind: 'failed', message: expect.stringMatching(/^Rows about a process cannot be bookmarked yet: .*Nothing was written\.$/) });
    expect(sentinel.bookmarks.size).toBe(0);
  });

  test('lists only the bot\'s bookmarks (label huntbot), newest first, across pages', async () => {
    const s = store();
    for (const [i, note] of ['one', 'two', 'three'].entries()) {
      const b = sampleBookmark(note);
      await s.create({ ...b, bookmarkId: `${b.bookmarkId.slice(0, -1)}${i}` }, bookmarkAudit());
    }
    sentinel.bookmarks.set('manual', { id: `${SI}/bookmarks/manual`, name: 'manual', type: 'Microsoft.SecurityInsights/bookmarks', etag: '"x"', properties: { displayName: 'by hand', query: 'x', labels: [] } });

    const listed = await s.list();

    expect(listed.map((b) => b.notes.split('\n')[0]).sort()).toEqual(['one', 'three', 'two']);
    expect(listed.every((b) => b.labels.includes('huntbot') && b.createdByName === 'Alice')).toBe(true);
  });
});
