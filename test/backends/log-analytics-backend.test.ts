import { LogAnalyticsBackend, type LogAnalyticsBackendOptions } from '../../src/backends/log-analytics-backend';
import type { QueryRequest } from '../../src/backends/query-backend';
import type { QueryResult } from '../../src/kql/types';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';

const WORKSPACE = '11111111-2222-3333-4444-555555555555';
const LA_SCOPE = 'https://api.loganalytics.io/.default';

const typedResult: QueryResult = {
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'DeviceName', type: 'string' },
    { name: 'AdditionalFields', type: 'dynamic' },
    { name: 'count_', type: 'long' },
    { name: 'IsSigned', type: 'bool' },
    { name: 'Score', type: 'real' },
  ],
  rows: [
    ['2024-05-01T10:00:00.000Z', 'pc1', { signer: 'DesktopNow Ltd', tags: ['a', 'b'] }, 3, true, 0.5],
    ['2024-05-02T11:30:00.000Z', 'pc2', null, 0, false, null],
  ],
};

function request(overrides: Partial<QueryRequest> = {}): QueryRequest {
  return {
    kql: 'DeviceFileCertificateInfo | take 2',
    window: { start: new Date('2024-05-01T00:00:00Z'), end: new Date('2024-05-06T00:00:00Z') },
    ...overrides,
  };
}

describe('LogAnalyticsBackend against a local Log Analytics API', () => {
  let fake: FakeLogAnalyticsServer;
  let credential: FakeTokenCredential;

  function backend(overrides: Partial<LogAnalyticsBackendOptions> = {}): LogAnalyticsBackend {
    return new LogAnalyticsBackend({
      workspaceId: WORKSPACE,
      credential,
      endpoint: fake.endpoint,
      scopes: [LA_SCOPE],
      insecureLocalEndpoint: true,
      ...overrides,
    });
  }

  beforeEach(async () => {
    fake = await FakeLogAnalyticsServer.start({ answer: () => typedResult, expectedScope: LA_SCOPE });
    credential = new FakeTokenCredential();
  });
  afterEach(() => fake.close());

  test('returns rows with JSON-safe typed cells: datetime as ISO string, dynamic parsed, long, bool, real', async () => {
    const outcome = await backend().run(request());

    expect(outcome.result.columns).toEqual(typedResult.columns);
    expect(outcome.result.rows).toEqual(typedResult.rows);
    expect(outcome.partialError).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('sends the hunt window as the API timespan and the server timeout as Prefer: wait=N', async () => {
    await backend({ serverTimeoutSeconds: 42 }).run(request());

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      workspaceId: WORKSPACE,
      query: 'DeviceFileCertificateInfo | take 2',
      timespan: '2024-05-01T00:00:00.000Z/2024-05-06T00:00:00.000Z',
      prefer: 'wait=42',
    });
  });

  test('uses a 120 second server timeout unless told otherwise', async () => {
    await backend().run(request());

    expect(fake.requests[0]?.prefer).toBe('wait=120');
  });

  test('authenticates with a bearer token for the configured scope', async () => {
    await backend().run(request());

    expect(fake.requests[0]).toMatchObject({ authorized: true, tokenScope: LA_SCOPE });
    expect(credential.requestedScopes).toContainEqual([LA_SCOPE]);
  });

  test('passes the correlation id as x-ms-client-request-id so a run can be traced at Microsoft', async () => {
    await backend().run(request({ correlationId: 'hunt-run-42' }));

    expect(fake.requests[0]?.clientRequestId).toBe('hunt-run-42');
  });

  test('a partial failure returns the rows that came back together with the error', async () => {
    fake.enqueue({ kind: 'partial-error', code: 'PartialError', message: 'Query result set has exceeded the internal limit' });

    const outcome = await backend().run(request());

    expect(outcome.result.rows).toHaveLength(2);
    expect(outcome.partialError).toEqual({
      code: 'PartialError',
      message: 'Query result set has exceeded the internal limit',
    });
  });

  test('an empty result keeps its columns', async () => {
    fake.answerWith(() => ({ columns: typedResult.columns, rows: [] }));

    const outcome = await backend().run(request());

    expect(outcome.result).toEqual({ columns: typedResult.columns, rows: [] });
  });

  test('describes itself by name and workspace for cards and /healthz', () => {
    const b = backend();

    expect(b.name).toBe('loganalytics');
    expect(b.description).toContain(WORKSPACE);
  });

  test('refuses an out-of-range server timeout at construction', () => {
    expect(() => backend({ serverTimeoutSeconds: 601 })).toThrow(/1 to 600/);
  });
});
