import { LogAnalyticsBackend } from '../../src/backends/log-analytics-backend';
import { resultCard } from '../../src/cards/run-cards';
import { handleHunt } from '../../src/commands/hunt-command';
import { HuntRunner } from '../../src/runs/hunt-runner';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer, QueryRejected } from '../fakes/log-analytics-server';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';
import { cardText } from '../support/card-text';

/**
 * In a workspace without the hunt's table, Log Analytics answers 400 SemanticError "Failed to
 * resolve table": that stays a failed hunt, never an empty (clean-looking) result.
 */
describe('a Log Analytics workspace without the hunt’s table', () => {
  let fake: FakeLogAnalyticsServer;
  const missing = "'where' operator: Failed to resolve table or column expression named 'DeviceFileCertificateInfo'";

  beforeAll(async () => {
    fake = await FakeLogAnalyticsServer.start({
      answer: () => {
        throw new QueryRejected(missing, 'SemanticError');
      },
    });
  });
  afterAll(() => fake.close());

  test('fails the hunt as invalid-query naming the table, and the card says so instead of 0 devices', async () => {
    const backend = new LogAnalyticsBackend({
      workspaceId: '11111111-2222-3333-4444-555555555555',
      credential: new FakeTokenCredential(),
      endpoint: fake.endpoint,
      scopes: ['https://api.loganalytics.io/.default'],
      insecureLocalEndpoint: true,
    });
    const reply = handleHunt(catalogWithoutAnalysis(), { words: ['rmm', 'desktopnow'], raw: ['rmm', 'desktopnow'] });
    if (reply.kind !== 'run-hunt') throw new Error('expected a hunt request');
    const runner = new HuntRunner({ backend, checkQuery: () => [] });
    const requester = { id: 'u1', aadObjectId: 'a1', name: 'Alice', tenantId: 't1', conversationId: 'c1' };
    const run = await runner.complete(runner.start(reply.request, requester), reply.request);

    expect(run.status).toBe('failed');
    expect(run.failure?.kind).toBe('invalid-query');
    expect(run.failure?.message).toContain("Failed to resolve table or column expression named 'DeviceFileCertificateInfo'");
    const text = cardText(resultCard(run));
    expect(text).toContain('DeviceFileCertificateInfo');
    expect(text).not.toMatch(/Devices\s*0|No devices matched/);
  });
});
