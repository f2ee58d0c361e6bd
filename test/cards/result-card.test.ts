import { cardBytes } from '../../src/cards/card-templates';
import { resultCard, runningCard } from '../../src/cards/run-cards';
import type { HuntRun } from '../../src/runs/hunt-run';
import { cardText } from '../support/card-text';

function run(overrides: Partial<HuntRun> = {}): HuntRun {
  return {
    runId: 'run-1',
    correlationId: 'corr-1',
    huntKey: 'rmm/desktopnow',
    title: 'DesktopNow · file signature',
    kind: 'filesig',
    windowText: '5d',
    windowStart: '2026-11-23T00:00:00.000Z',
    windowEnd: '2026-11-28T00:00:00.000Z',
    backend: 'embedded',
    backendDescription: 'embedded engine over test data',
    requestedBy: { id: '29:a', name: 'Alice', aadObjectId: 'a-1' },
    startedAt: '2026-11-28T00:00:00.000Z',
    finishedAt: '2026-11-28T00:00:01.000Z',
    status: 'done',
    queries: [{ huntId: 'h', kind: 'filesig', kql: "DeviceFileCertificateInfo | where Signer has 'NCH Software'", durationMs: 12, rowCount: 1 }],
    hits: [
      {
        deviceId: 'dev-a',
        deviceName: 'fin-ws-001',
        firstSeen: '2026-11-25T10:00:00.0000000Z',
        lastSeen: '2026-11-27T10:00:00.0000000Z',
        count: 3,
        reports: [1, 2],
        signals: [],
        evidence: [],
      },
    ],
    hidden: [],
    totalEvents: 3,
    scenarios: [],
    ...overrides,
  };
}

describe('the result card', () => {
  it('shows the title, window, backend, totals, each device and the exact query', () => {
    const text = cardText(resultCard(run()));
    expect(text).toContain('DesktopNow · file signature');
    expect(text).toContain('embedded');
    expect(text).toContain('fin-ws-001');
    expect(text).toContain('dev-a');
    expect(text).toContain('2026-11-25 10:00 UTC');
    expect(text).toContain('2 reports');
    expect(text).toContain("where Signer has 'NCH Software'");
  });

  it('says plainly when nothing matched', () => {
    const text = cardText(resultCard(run({ hits: [], totalEvents: 0 })));
    expect(text).toContain('No devices matched in the last 5d.');
  });

  it('renders hostile device names literally, template expressions included', () => {
    const hostile = '**bold** ${runId} <at>x</at> [link](http://evil) \u202Eevil';
    const card = resultCard(run({ hits: [{ ...run().hits[0], deviceName: hostile }] }));
    expect(cardText(card)).toContain(hostile);
    expect(cardText(card)).not.toContain('**bold** run-1');
  });

  it('warns about partial results and capped windows', () => {
    const text = cardText(
      resultCard(
        run({
          cappedFrom: '90d',
          windowText: '30d',
          queries: [{ ...run().queries[0], partialError: { code: 'PartialError', message: 'a shard timed out' } }],
        }),
      ),
    );
    expect(text).toContain('capped to 30d');
    expect(text).toContain('a shard timed out');
  });

  it('keeps a card with many devices well under the Teams size budget', () => {
    const hits = Array.from({ length: 500 }, (_, i) => ({ ...run().hits[0], deviceId: `dev-${i}`, deviceName: `host-${i}`.repeat(20) }));
    const card = resultCard(run({ hits }));
    expect(cardBytes(card)).toBeLessThan(25_000);
    expect(cardText(card)).toContain('485 more devices');
  });

  it('marks the running card so the channel sees who asked', () => {
    const text = cardText(runningCard(run({ status: 'running' })));
    expect(text).toContain('Hunting DesktopNow');
    expect(text).toContain('Alice');
  });
});
