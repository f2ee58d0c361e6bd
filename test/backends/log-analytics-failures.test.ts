import { LogAnalyticsBackend, type LogAnalyticsBackendOptions } from '../../src/backends/log-analytics-backend';
import { QueryFailure } from '../../src/domain/query-failure';
import { type QueryRequest } from '../../src/backends/query-backend';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';
import { listenOnFreePort } from '../fakes/http-harness';

const WORKSPACE = '11111111-2222-3333-4444-555555555555';
const LA_SCOPE = 'https://api.loganalytics.io/.default';

const request: QueryRequest = {
  kql: 'DeviceProcessEvents | take 1',
  window: { start: new Date('2024-05-01T00:00:00Z'), end: new Date('2024-05-02T00:00:00Z') },
};

async function failureOf(promise: Promise<unknown>): Promise<QueryFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QueryFailure) return error;
    throw new Error(`expected a QueryFailure, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the query to fail, but it succeeded');
}

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LogAnalyticsBackend maps service failures to QueryFailure kinds', () => {
  let fake: FakeLogAnalyticsServer;
  let credential: FakeTokenCredential;

  function backend(overrides: Partial<LogAnalyticsBackendOptions> = {}): LogAnalyticsBackend {
    return new LogAnalyticsBackend({
      workspaceId: WORKSPACE,
      credential,
      endpoint: fake.endpoint,
      scopes: [LA_SCOPE],
      insecureLocalEndpoint: true,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 2_000 },
      ...overrides,
    });
  }

  beforeEach(async () => {
    fake = await FakeLogAnalyticsServer.start({ answer: () => ({ columns: [{ name: 'n', type: 'long' }], rows: [[1]] }) });
    credential = new FakeTokenCredential();
  });
  afterEach(() => fake.close());

  test('a 400 syntax error becomes invalid-query carrying the inner error message', async () => {
    fake.enqueue({ kind: 'syntax-error', message: "Query could not be parsed at 'wher' on line [1,22]" });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('invalid-query');
    expect(failure.message).toContain("Query could not be parsed at 'wher' on line [1,22]");
    expect(failure.details).toMatchObject({ statusCode: 400, code: 'BadArgumentError' });
    expect(failure.details.diagnostics).toContainEqual({ code: 'SyntaxError', message: "Query could not be parsed at 'wher' on line [1,22]" });
  });

  test('a 401 becomes unauthorized', async () => {
    fake.enqueue({ kind: 'error', status: 401, code: 'AuthenticationFailed', message: 'Authentication failed.' });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('unauthorized');
    expect(failure.details.statusCode).toBe(401);
  });

  test('a 403 becomes forbidden and names the roles that would allow the query', async () => {
    fake.enqueue({ kind: 'error', status: 403, code: 'InsufficientAccessError', message: 'The provided credentials have insufficient access' });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('forbidden');
    expect(failure.message).toMatch(/Log Analytics Reader|Microsoft Sentinel Reader/);
    expect(failure.message).toContain(WORKSPACE);
  });

  test('a 429 is retried after the Retry-After seconds and then succeeds', async () => {
    fake.enqueue({ kind: 'throttle', retryAfterSeconds: 1 });
    const started = Date.now();

    const outcome = await backend().run(request);

    expect(outcome.result.rows).toEqual([[1]]);
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('when every attempt is throttled it fails as throttled after exactly maxAttempts requests', async () => {
    fake.enqueue(...Array.from({ length: 5 }, () => ({ kind: 'throttle' as const, retryAfterMs: 20 })));

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('throttled');
    expect(failure.details).toMatchObject({ statusCode: 429, retryAfterMs: 20 });
    expect(failure.message).toMatch(/tried 3 times/);
    // The SDK's own retry policy is off, so attempts do not multiply (3, not 3 x 4).
    expect(fake.requests).toHaveLength(3);
  });

  test('a Retry-After longer than the longest allowed wait fails at once and says when to try again', async () => {
    fake.enqueue({ kind: 'throttle', retryAfterSeconds: 60 });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('throttled');
    expect(failure.details.retryAfterMs).toBe(60_000);
    expect(failure.message).toContain('Try again in 60 s');
    expect(fake.requests).toHaveLength(1);
  });

  test('a 500 becomes unavailable and is not retried', async () => {
    fake.enqueue({ kind: 'error', status: 500, code: 'InternalServerError', message: 'Something went wrong' });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('unavailable');
    expect(failure.details.statusCode).toBe(500);
    expect(fake.requests).toHaveLength(1);
  });

  test('a 500 with an empty body still becomes unavailable with its status (not an SDK TypeError)', async () => {
    fake.enqueue({ kind: 'raw', status: 500, body: '' });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('unavailable');
    expect(failure.details.statusCode).toBe(500);
  });

  test("a gateway's HTML 502 page becomes unavailable", async () => {
    fake.enqueue({ kind: 'raw', status: 502, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' });

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('unavailable');
    expect(failure.details.statusCode).toBe(502);
  });

  test('a 504 from the service becomes timeout with advice to narrow the query', async () => {
    fake.enqueue({ kind: 'error', status: 504, code: 'GatewayTimeout', message: 'The query exceeded the allowed time' });

    const failure = await failureOf(backend({ serverTimeoutSeconds: 30 }).run(request));

    expect(failure.kind).toBe('timeout');
    expect(failure.message).toContain('30 s');
    expect(failure.message).toMatch(/Narrow/);
  });

  test('a response slower than the client deadline becomes timeout', async () => {
    fake.enqueue({ kind: 'slow', delayMs: 5_000 });

    const failure = await failureOf(backend({ clientTimeoutMs: 200 }).run(request));

    expect(failure.kind).toBe('timeout');
    await waitFor(() => fake.requests[0]?.clientDisconnected === true);
  });

  test('aborting the signal while the query runs becomes cancelled', async () => {
    fake.enqueue({ kind: 'slow', delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const failure = await failureOf(backend().run({ ...request, signal: controller.signal }));

    expect(failure.kind).toBe('cancelled');
    // The connection is closed too, not just the promise rejected.
    await waitFor(() => fake.requests[0]?.clientDisconnected === true);
  });

  test('an already-aborted signal is cancelled without sending anything', async () => {
    const controller = new AbortController();
    controller.abort();

    const failure = await failureOf(backend().run({ ...request, signal: controller.signal }));

    expect(failure.kind).toBe('cancelled');
    expect(fake.requests).toHaveLength(0);
  });

  test('a credential that cannot get a token becomes unauthorized with advice, and nothing is sent', async () => {
    credential.failWith(
      Object.assign(new Error('ManagedIdentityCredential: no managed identity endpoint found'), { name: 'CredentialUnavailableError' }),
    );

    const failure = await failureOf(backend().run(request));

    expect(failure.kind).toBe('unauthorized');
    expect(failure.message).toContain('no managed identity endpoint found');
    expect(failure.message).toMatch(/AZURE_CLIENT_ID|az login/);
    expect(fake.requests).toHaveLength(0);
  });

  test('an endpoint nobody listens on becomes unavailable', async () => {
    const closed = await listenOnFreePort(() => undefined);
    await closed.close();

    const failure = await failureOf(backend({ endpoint: `${closed.origin}/v1` }).run(request));

    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toContain(closed.origin);
  });

  test('never sends a token over plain http unless configured for a local emulator', async () => {
    const failure = await failureOf(backend({ insecureLocalEndpoint: false }).run(request));

    expect(failure.kind).toBe('internal');
    expect(fake.requests).toHaveLength(0);
  });
});
