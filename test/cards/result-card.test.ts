import { cardBytes } from '../../src/cards/card-templates';
import { resultCard, runningCard, tagFormCard } from '../../src/cards/run-cards';
import { decodeAdvancedHuntingQuery, decodeSentinelLogsQuery } from '../../src/links/portal-links';
import type { DoneHuntRun, HuntRunFields } from '../../src/domain/hunt-run';
import { cardText } from '../support/card-text';
import { finishedRun, stillRunning } from '../support/run-fixtures';

function run(overrides: Partial<HuntRunFields> = {}): DoneHuntRun {
  return finishedRun({
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
    totalEvents: 3,
    ...overrides,
  });
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

  it('renders hostile device names literally, template expressions included, without bidi overrides or zero-width characters', () => {
    const hostile = '**bold** ${runId} <at>x</at> [link](http://evil) \u202Eevil\u200B';
    const card = resultCard(run({ hits: [{ ...run().hits[0], deviceName: hostile }] }));
    expect(cardText(card)).toContain('**bold** ${runId} <at>x</at> [link](http://evil) evil');
    expect(cardText(card)).not.toContain('**bold** run-1');
    expect(cardText(card)).not.toMatch(/[\u202E\u200B]/);
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
    expect(cardText(card)).toContain('Devices 1–12 of 500 (page 1 of 42)');
  });

  it('pages results: each page lists its own devices and offers Previous and Next', () => {
    const hits = Array.from({ length: 30 }, (_, i) => ({ ...run().hits[0], deviceId: `dev-${i}`, deviceName: `host-${String(i).padStart(2, '0')}` }));
    const second = resultCard(run({ hits }), { page: 1 });
    const text = cardText(second);
    expect(text).toContain('host-12');
    expect(text).not.toContain('host-11');
    expect(text).toContain('Devices 13–24 of 30 (page 2 of 3)');
    const verbs = JSON.stringify(second).match(/"verb":"results\.page","data":\{[^}]*\}/g) ?? [];
    expect(verbs.join()).toContain('"page":0');
    expect(verbs.join()).toContain('"page":2');
  });

  it('clamps a page past the end to the last page', () => {
    const hits = Array.from({ length: 13 }, (_, i) => ({ ...run().hits[0], deviceId: `dev-${i}`, deviceName: `host-${i}` }));
    expect(cardText(resultCard(run({ hits }), { page: 99 }))).toContain('page 2 of 2');
  });

  it('keeps every page under budget even with huge hostile names', () => {
    const hits = Array.from({ length: 40 }, (_, i) => ({
      ...run().hits[0],
      deviceId: `dev-${i}-${'x'.repeat(5000)}`,
      deviceName: `${'名'.repeat(3000)}${i}`,
      evidence: [{ name: 'RemoteUrls', values: Array.from({ length: 50 }, (_, j) => `https://${'a'.repeat(300)}${j}.example`) }],
    }));
    for (let page = 0; page < 4; page++) expect(cardBytes(resultCard(run({ hits }), { page }))).toBeLessThanOrEqual(25_000);
  });

  it('marks the running card so the channel sees who asked', () => {
    const text = cardText(runningCard(stillRunning(run())));
    expect(text).toContain('Hunting DesktopNow');
    expect(text).toContain('Alice');
  });
});

/** The value of a header fact ("Devices", "Events") on a result card. */
function fact(card: unknown, title: string): string | undefined {
  const facts = (JSON.stringify(card).match(/"facts":\[[^\]]*\]/) ?? [''])[0];
  return (JSON.parse(`{${facts}}`) as { facts: Array<{ title: string; value: string }> }).facts.find((f) => f.title === title)?.value;
}

/** The data of the card's action with this title. */
function actionNamed(card: unknown, title: string): { verb: string; data: Record<string, unknown> } {
  const found: Array<{ verb: string; data: Record<string, unknown> }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute' && record.title === title) found.push(record as never);
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  if (found.length !== 1) throw new Error(`expected one "${title}" action, found ${found.length}`);
  return found[0];
}

describe('the result card with devices hidden as benign', () => {
  const tag = { scenarioId: 'backup-job', scenarioTitle: 'Backup job execution', justification: '', byName: 'Bob', byAadObjectId: 'b-1', atUtc: '2026-11-27T00:00:00Z', expiresAtUtc: '' };
  const hidden = [
    { ...run().hits[0], deviceId: 'dev-h1', deviceName: 'hidden-1', count: 4, tag },
    { ...run().hits[0], deviceId: 'dev-h2', deviceName: 'hidden-2', count: 5, tag },
  ];

  it('counts only the devices and events it lists while the hidden ones are hidden', () => {
    const card = resultCard(run({ hidden }));
    expect(fact(card, 'Devices')).toBe('1');
    expect(fact(card, 'Events')).toBe('3');
    expect(cardText(card)).toContain('2 devices hidden as benign.');
  });

  it('counts the hidden devices and their events in the header when "Show hidden" lists them', () => {
    const card = resultCard(run({ hidden }), { showHidden: true });
    expect(cardText(card)).toContain('hidden-1');
    expect(fact(card, 'Devices')).toBe('3 (2 tagged benign)');
    expect(fact(card, 'Events')).toBe(String(3 + 4 + 5));
  });
});

describe('the tag form', () => {
  const hits = Array.from({ length: 30 }, (_, i) => ({ ...run().hits[0], deviceId: `dev-${i}`, deviceName: `host-${i}` }));

  it('leads "Back to results" to the page and view it was opened from, not page 1', () => {
    const form = tagFormCard(run({ hits }), hits[20], { view: { page: 1, showHidden: true } });
    const back = actionNamed(form, 'Back to results');
    expect(back.verb).toBe('results.page');
    expect(back.data).toMatchObject({ runId: 'run-1', page: 1, showHidden: true });
  });

  it('carries the same view on "Save tag", so the card after saving stays on that page', () => {
    const form = tagFormCard(run({ hits }), hits[20], { view: { page: 2 } });
    expect(actionNamed(form, 'Save tag').data).toMatchObject({ runId: 'run-1', deviceId: 'dev-20', page: 2, showHidden: false });
  });

  it('is opened from the page its "Tag benign" button sits on', () => {
    const second = resultCard(run({ hits }), { page: 1 });
    const tagButtons = JSON.stringify(second).match(/"verb":"hit\.tag","data":\{[^}]*\}/g) ?? [];
    expect(tagButtons.length).toBe(12);
    for (const button of tagButtons) expect(button).toContain('"page":1');
  });
});

describe('counts on cards', () => {
  it('say "1 row", "1 report" and "1 device" in the singular', () => {
    const one = run({
      hits: [{ ...run().hits[0], reports: [7] }],
      hidden: [{ ...run().hits[0], deviceId: 'dev-h' }],
    });
    const text = cardText(resultCard(one));
    expect(text).toContain('filesig · 1 row ·');
    expect(text).toContain('1 report');
    expect(text).not.toContain('1 reports');
    expect(text).toContain('1 device hidden as benign.');
    expect(text).not.toMatch(/\(s\)/);
  });

  it('say "2 rows" and "2 reports" in the plural', () => {
    const two = run({ queries: [{ ...run().queries[0], rowCount: 2 }] });
    const text = cardText(resultCard(two));
    expect(text).toContain('filesig · 2 rows ·');
    expect(text).toContain('2 reports');
  });
});

describe('portal links on the result card', () => {
  const portal = { cloud: 'AzurePublicCloud' as const, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };

  it('links each device to its Defender page and the query to advanced hunting, encoding the exact KQL', () => {
    const card = resultCard(run({ portal }));
    const json = JSON.stringify(card);
    expect(json).toContain('"title":"Device page"');
    const hunting = /"title":"Open in Defender advanced hunting","url":"([^"]+)"/.exec(json);
    expect(hunting).not.toBeNull();
    expect(decodeAdvancedHuntingQuery(hunting![1])).toBe(run().queries[0].kql);
  });

  it('adds the Sentinel Logs link only when the workspace is known, and it decodes to the query', () => {
    expect(JSON.stringify(resultCard(run({ portal })))).not.toContain('Open in Sentinel Logs');
    const workspaceResourceId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/sentinel';
    const json = JSON.stringify(resultCard(run({ portal: { ...portal, workspaceResourceId } })));
    const logs = /"title":"Open in Sentinel Logs","url":"([^"]+)"/.exec(json);
    expect(decodeSentinelLogsQuery(logs![1])).toBe(run().queries[0].kql);
  });

  it('shows no portal buttons when the run has no portal context', () => {
    expect(JSON.stringify(resultCard(run()))).not.toContain('Action.OpenUrl');
  });
});

describe("the result card's refresh userIds", () => {
  const mri = (n: number) => `29:1user-${n}`;
  const userIdsOf = (card: Record<string, unknown>) => (card.refresh as { userIds: string[] }).userIds;

  it('name the person who started the hunt first, then the conversation members, once each and at most 60, as Teams user MRIs', () => {
    const base = run();
    const members = Array.from({ length: 80 }, (_, i) => mri(100 + i));
    const card = resultCard({ ...base, requestedBy: { ...base.requestedBy, id: mri(1) }, audience: [members[0], mri(1), ...members.slice(1)] });
    const userIds = userIdsOf(card);
    expect(userIds).toHaveLength(60);
    expect(userIds.slice(0, 3)).toEqual([mri(1), members[0], members[1]]);
    expect(new Set(userIds).size).toBe(60);
  });

  it('name only the requester when the members are unknown', () => {
    const base = run();
    expect(userIdsOf(resultCard({ ...base, requestedBy: { ...base.requestedBy, id: mri(1) } }))).toEqual([mri(1)]);
  });
});
