import { DefenderBackend, type DefenderBackendOptions } from '../../src/backends/defender-backend';
import type { QueryRequest } from '../../src/backends/query-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import type { QueryResult } from '../../src/kql/types';
import { describeFailure } from '../../src/runs/failure-advice';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeGraphHuntingServer, GRAPH_SCOPE, RESULT_TOO_LARGE_MESSAGE } from '../fakes/graph-hunting-server';

const DAY_MS = 86_400_000;

const typedResult: QueryResult = {
  columns: [
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'DeviceId', type: 'string' },
    { name: 'DeviceName', type: 'string' },
    { name: 'Report', type: 'dynamic' },
    { name: 'Count', type: 'long' },
    { name: 'IsSigned', type: 'bool' },
    { name: 'Score', type: 'real' },
    { name: 'Elapsed', type: 'timespan' },
  ],
  rows: [
    ['2024-05-01T10:00:00.123Z', 'dev-a', 'pc1', [11, 12], 3, true, 0.5, '00:01:30'],
    ['2024-05-02T11:30:00.000Z', 'dev-b', 'pc2', null, 0, false, null, null],
  ],
};

function request(overrides: Partial<QueryRequest> = {}): QueryRequest {
  return {
    kql: 'DeviceFileCertificateInfo | take 2',
    window: { start: new Date('2024-05-01T00:00:00Z'), end: new Date('2024-05-06T00:00:00Z') },
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<QueryFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QueryFailure);
  return error as QueryFailure;
}

describe('DefenderBackend against a local Microsoft Graph (runHuntingQuery)', () => {
  let graph: FakeGraphHuntingServer;
  let credential: FakeTokenCredential;

  function backend(overrides: Partial<DefenderBackendOptions> = {}): DefenderBackend {
    return new DefenderBackend({
      credential,
      graph: { endpoint: graph.endpoint, scope: GRAPH_SCOPE, insecureLocalEndpoint: true },
      retry: { baseDelayMs: 5 },
      ...overrides,
    });
  }

  beforeAll(async () => {
    graph = await FakeGraphHuntingServer.start({ answer: () => typedResult });
  });
  beforeEach(() => {
    credential = new FakeTokenCredential();
    graph.requests.length = 0;
    graph.answerWith(() => typedResult);
  });
  afterAll(() => graph.close());

  test('maps Graph\'s .NET column types to the engine\'s cells: DateTime as ISO, Object parsed, Int64, Boolean, Double, TimeSpan', async () => {
    const outcome = await backend().run(request());

    expect(outcome.result).toEqual(typedResult);
    expect(outcome.notes).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('reads the schema in either casing the reference shows, and dynamic values sent as JSON rather than text', async () => {
    const pascal = await FakeGraphHuntingServer.start({ answer: () => typedResult, schemaCasing: 'pascal', dynamicAs: 'json' });
    try {
      const outcome = await new DefenderBackend({
        credential,
        graph: { endpoint: pascal.endpoint, scope: GRAPH_SCOPE, insecureLocalEndpoint: true },
      }).run(request());
      expect(outcome.result).toEqual(typedResult);
    } finally {
      await pascal.close();
    }
  });

  test('posts only the documented body, Query and Timespan as an ISO interval, with a Graph token and the correlation id', async () => {
    await backend().run(request({ correlationId: '7b7a3f0e-1111-4222-8333-944444444444' }));

    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({
      query: 'DeviceFileCertificateInfo | take 2',
      timespan: '2024-05-01T00:00:00.000Z/2024-05-06T00:00:00.000Z',
      bodyKeys: ['Query', 'Timespan'],
      authorized: true,
      tokenScope: GRAPH_SCOPE,
      clientRequestId: '7b7a3f0e-1111-4222-8333-944444444444',
    });
    expect(graph.requests[0]?.contentType).toMatch(/^application\/json/);
    expect(credential.requestedScopes).toEqual([[GRAPH_SCOPE]]);
  });

  test('never asks for more than 30 days: a longer window is cut to its last 30 days and the outcome says so', async () => {
    const end = new Date('2024-06-30T00:00:00Z');
    const outcome = await backend().run(request({ window: { start: new Date(end.getTime() - 45 * DAY_MS), end } }));

    expect(graph.requests[0]?.timespan).toBe('2024-05-31T00:00:00.000Z/2024-06-30T00:00:00.000Z');
    expect(outcome.notes).toEqual([expect.stringContaining('Defender XDR advanced hunting keeps 30 days of data.')]);
    expect(backend().windowLimit).toEqual({ maxMs: 30 * DAY_MS, reason: 'Defender XDR advanced hunting keeps 30 days of data.' });
  });

  test('waits out a 429 with Retry-After, retries, and tells what happened', async () => {
    graph.enqueue({ kind: 'throttle', retryAfterSeconds: 1 });
    const started = Date.now();

    const outcome = await backend().run(request());

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(graph.requests).toHaveLength(2);
    expect(outcome.result.rows).toHaveLength(2);
    expect(outcome.notes).toEqual(['Defender XDR throttled the query (429); the bot waited 1 s and retried.']);
  });

  test('gives up on throttling that outlasts its retries, with when to try again, the server\'s reason and Defender advice', async () => {
    graph.enqueue(
      { kind: 'throttle', retryAfterSeconds: 0 },
      { kind: 'throttle', retryAfterSeconds: 0 },
      { kind: 'throttle', retryAfterSeconds: 7, message: 'The tenant exceeded its CPU quota for this 15-minute cycle.' },
    );

    const failure = await failureOf(backend().run(request()));

    expect(graph.requests).toHaveLength(3);
    expect(failure.kind).toBe('throttled');
    expect(failure.details.retryAfterMs).toBe(7000);
    expect(failure.message).toBe(
      "Defender XDR advanced hunting is throttling the bot's queries (429; tried 3 times). The tenant exceeded its CPU quota for this 15-minute cycle. Try again in 7 s.",
    );
    expect(describeFailure(failure).advice).toContain('per 15 minutes');
  });

  test('does not sit through a Retry-After longer than its longest wait: fails at once so the queue can pause', async () => {
    graph.enqueue({ kind: 'throttle', retryAfterSeconds: 60 });

    const failure = await failureOf(backend().run(request()));

    expect(graph.requests).toHaveLength(1);
    expect(failure).toMatchObject({ kind: 'throttled', details: { retryAfterMs: 60_000 } });
  });

  test('a 400 query error carries Graph\'s message, is not retried, and advises about Defender\'s schema', async () => {
    graph.enqueue({ kind: 'query-error', message: "Failed to resolve table or column expression named 'SigninLogs'" });

    const failure = await failureOf(backend().run(request()));

    expect(graph.requests).toHaveLength(1);
    expect(failure.kind).toBe('invalid-query');
    expect(failure.message).toBe("Defender XDR advanced hunting rejected the query (BadRequest): Failed to resolve table or column expression named 'SigninLogs'");
    expect(failure.details).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(describeFailure(failure).advice).toContain('HUNT_BACKEND=loganalytics');
  });

  test('the documented 400 for a result over the size limit is reported as too large, not as a broken query', async () => {
    graph.enqueue({ kind: 'result-too-large' });

    const failure = await failureOf(backend().run(request()));

    expect(failure.kind).toBe('too-large');
    expect(failure.message).toContain(RESULT_TOO_LARGE_MESSAGE);
    expect(describeFailure(failure).advice).toContain('shorter window');
  });

  test.each([
    ['500 UnknownError with an empty message', { kind: 'error' as const, status: 500, code: 'UnknownError', message: '' }, 'unavailable', 'Microsoft Graph is unavailable (HTTP 500 UnknownError'],
    ['503 ServiceUnavailable', { kind: 'error' as const, status: 503, code: 'ServiceUnavailable', message: 'Service is busy' }, 'unavailable', 'HTTP 503 ServiceUnavailable: Service is busy'],
    ['a gateway\'s HTML 502', { kind: 'raw' as const, status: 502, body: '<html>Bad gateway</html>' }, 'unavailable', 'HTTP 502 Http502: no error details (not a Graph error body)'],
    ['504 GatewayTimeout', { kind: 'error' as const, status: 504, code: 'GatewayTimeout', message: 'timed out' }, 'timeout', 'did not finish the query in time'],
  ])('a server failure (%s) is reported, not retried', async (_label, scripted, kind, text) => {
    graph.enqueue(scripted);

    const failure = await failureOf(backend().run(request()));

    expect(graph.requests).toHaveLength(1);
    expect(failure.kind).toBe(kind);
    expect(failure.message).toContain(text);
  });

  test('a 403 says which Graph permission to grant', async () => {
    graph.enqueue({ kind: 'error', status: 403, code: 'Forbidden', message: 'Missing application roles.' });

    const failure = await failureOf(backend().run(request()));

    expect(failure.kind).toBe('forbidden');
    expect(describeFailure(failure).advice).toContain('ThreatHunting.Read.All');
  });

  test('a token for another audience is refused by Graph and reported as an authentication failure', async () => {
    const failure = await failureOf(backend({ graph: { endpoint: graph.endpoint, scope: 'https://api.loganalytics.io/.default', insecureLocalEndpoint: true } }).run(request()));

    expect(failure.kind).toBe('unauthorized');
    expect(failure.message).toContain('401 InvalidAuthenticationToken');
  });

  test('a credential that cannot produce a token never reaches Graph', async () => {
    credential.failWith(new Error('ManagedIdentityCredential: no managed identity endpoint'));

    const failure = await failureOf(backend().run(request()));

    expect(failure.kind).toBe('unauthorized');
    expect(graph.requests).toHaveLength(0);
  });

  test('stops waiting after HUNT_QUERY_TIMEOUT_SECONDS and closes the request', async () => {
    graph.enqueue({ kind: 'slow', delayMs: 5_000 });

    const failure = await failureOf(backend({ timeoutSeconds: 1 }).run(request()));

    expect(failure.kind).toBe('timeout');
    expect(failure.message).toContain('within 1 s (HUNT_QUERY_TIMEOUT_SECONDS)');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(graph.requests[0]?.clientDisconnected).toBe(true);
  });

  test('a cancel reaches the open request', async () => {
    graph.enqueue({ kind: 'slow', delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const failure = await failureOf(backend().run(request({ signal: controller.signal })));

    expect(failure.kind).toBe('cancelled');
  });

  test('a result cut off at the service\'s 100,000 rows comes back whole, with a note that rows may be missing', async () => {
    const columns = typedResult.columns.slice(1, 3);
    graph.answerWith(() => ({ columns, rows: Array.from({ length: 100_050 }, (_, i) => [`dev-${i}`, `pc-${i}`]) }));

    const outcome = await backend().run(request());

    expect(outcome.result.rows).toHaveLength(100_000);
    expect(outcome.result.rows[99_999]).toEqual(['dev-99999', 'pc-99999']);
    expect(outcome.notes).toEqual(['Defender XDR returns at most 100,000 rows and this query reached that: rows may be missing. Narrow the window or the hunt.']);
  }, 30_000);

  test('a 200 that is not a hunting result is an unavailable error, not an empty clean result', async () => {
    graph.enqueue({ kind: 'raw', status: 200, body: '<html>login</html>' });

    const failure = await failureOf(backend().run(request()));

    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toContain('not JSON');
  });
});
