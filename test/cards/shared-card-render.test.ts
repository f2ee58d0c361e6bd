import { expandCard } from '../../src/cards/card-templates';
import { resultCard, runningCard } from '../../src/cards/run-cards';
import { expandCardForEach, personalPlaceholder, sharedCardRenderStats } from '../../src/cards/shared-card-render';
import type { HuntRun } from '../../src/domain/hunt-run';
import { cardText } from '../support/card-text';
import { finishedRun, stillRunning } from '../support/run-fixtures';

/** One finished backend run as each person who joined it sees it: their own run id and name. */
function joined<Run extends HuntRun>(n: number, base: Run): Run {
  return { ...base, runId: `run-joined-${n}`, requestedBy: { id: `29:person-${n}`, name: `Person "${n}" \\ O'Neil`, aadObjectId: `aad-${n}` } };
}

describe('result cards templated once for everyone shown the same result', () => {
  const base = finishedRun({
    queries: [{ huntId: 'h', kind: 'filesig', kql: "DeviceFileCertificateInfo | where Signer has 'NCH Software'", durationMs: 12, rowCount: 1 }],
    hits: [
      { deviceId: 'dev-a', deviceName: 'fin-ws-001', firstSeen: '2026-11-25T10:00:00Z', lastSeen: '2026-11-27T10:00:00Z', count: 3, reports: [1, 2], signals: [], evidence: [] },
      { deviceId: 'dev-b', deviceName: 'fin-ws-002', firstSeen: '2026-11-25T11:00:00Z', lastSeen: '2026-11-27T11:00:00Z', count: 2, reports: [3], signals: [], evidence: [] },
    ],
    totalEvents: 5,
    reuse: { kind: 'joined', producedAt: '2026-11-28T10:00:00.000Z' },
  });

  it('template the card once for 50 people who joined one run, and give each their own run id and name', () => {
    const before = sharedCardRenderStats();
    const cards = Array.from({ length: 50 }, (_, n) => resultCard(joined(n, base)));
    const after = sharedCardRenderStats();

    expect(after.expansions - before.expansions).toBe(1);
    expect(after.reuses - before.reuses).toBe(49);
    cards.forEach((card, n) => {
      const json = JSON.stringify(card);
      expect(cardText(card)).toContain(`Requested by Person "${n}" \\ O'Neil`);
      expect(cardText(card)).toContain('Joined an identical hunt');
      expect(json).toContain(`"runId":"run-joined-${n}"`);
      expect(json).not.toMatch(/run-joined-(?!\d+")/);
      expect(json).not.toContain('@@huntbot-');
      // Each card's refresh still names its own requester.
      expect((card as { refresh: { userIds: string[] } }).refresh.userIds[0]).toBe(`29:person-${n}`);
    });
  });

  it('give the same card as templating each person\'s data directly', () => {
    const data = { title: 'T', requestedBy: personalPlaceholder('requestedBy'), runId: personalPlaceholder('runId') };
    const direct = expandCard('running', { ...data, requestedBy: 'Bob "B" \\ \u2028', runId: 'run-9', subtitle: 's', status: 'x' });
    const shared = expandCardForEach('running', { ...data, subtitle: 's', status: 'x' }, { requestedBy: 'Bob "B" \\ \u2028', runId: 'run-9' });
    expect(shared).toEqual(direct);
  });

  it('template again when the result differs (another page, other tags)', () => {
    const before = sharedCardRenderStats().expansions;
    resultCard(joined(1, base), { page: 0, showHidden: true });
    resultCard(joined(2, { ...base, hits: base.hits.slice(1) }));
    expect(sharedCardRenderStats().expansions - before).toBe(2);
  });
});

describe('running cards templated once for a burst of the same hunt', () => {
  const base = stillRunning(finishedRun({}));

  it('template the running card once for 50 people starting the same hunt, each with their own run id, name and status', () => {
    const before = sharedCardRenderStats();
    const cards = Array.from({ length: 50 }, (_, n) => runningCard(joined(n, base), { queuePosition: n % 3 }));
    const after = sharedCardRenderStats();

    expect(after.expansions - before.expansions).toBe(1);
    expect(after.reuses - before.reuses).toBe(49);
    cards.forEach((card, n) => {
      const text = cardText(card);
      expect(text).toContain(`Requested by Person "${n}" \\ O'Neil`);
      expect(text).toContain(n % 3 === 0 ? 'Running since' : `Queued: ${n % 3 === 1 ? '1st' : '2nd'} in line`);
      expect(JSON.stringify(card)).toContain(`"runId":"run-joined-${n}"`);
      expect(JSON.stringify(card)).not.toContain('@@huntbot-');
    });
  });

  it('give the same running card as templating its data directly', () => {
    const run = joined(7, base);
    const card = runningCard(run, { queuePosition: 2 });
    const direct = expandCard('running', {
      runId: run.runId,
      title: `Hunting ${run.title}`,
      subtitle: (card.body as { inlines: { text: string }[] }[])[1]!.inlines[0]!.text,
      status: '⏳ Queued: 2nd in line for the workspace. This card updates in place.',
      requestedBy: `Person "7" \\ O'Neil`,
    });
    expect(card).toEqual(direct);
  });
});

describe('cards kept for reuse under a crowd', () => {
  it('keep the result card of a joined run while a burst of 40 other hunts shows its running cards', () => {
    const result = finishedRun({ title: 'Crowd · file signature', reuse: { kind: 'joined', producedAt: '2026-11-28T10:00:00.000Z' } });
    const before = sharedCardRenderStats();
    resultCard(joined(0, result));
    Array.from({ length: 40 }, (_, n) => runningCard(stillRunning(finishedRun({ runId: `run-other-${n}`, title: `Other hunt ${n}` }))));
    resultCard(joined(1, result));
    const after = sharedCardRenderStats();

    // One templating per distinct running card, and the result card templated once for both who joined its run.
    expect(after.expansions - before.expansions).toBe(1 + 40);
    expect(after.reuses - before.reuses).toBe(1);
  });
});
