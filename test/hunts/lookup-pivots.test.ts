import { devicesInOrder, lookupPivots, pivotCommand, pivotsOf } from '../../src/hunts/lookup-pivots';
import { finishedRun, hitWithEvidence } from '../support/run-fixtures';
import { resultCard } from '../../src/cards/run-cards';

const hit = hitWithEvidence;

const SHA = 'ab'.repeat(32);

describe('what a lookup result offers to look up next', () => {
  test('hashes, hosts and addresses the rows show, normalized, once each, without the entity asked about', () => {
    const hits = [
      hit('d1', { SHA256s: [SHA.toUpperCase()], RemoteUrls: ['https://CDN.example.com/x', 'example.com'], RemoteIPs: ['203.0.113.7'] }),
      hit('d2', { RemoteUrls: ['cdn.example.com', '198.51.100.9'], RemoteIPs: ['203.0.113.7'] }),
    ];
    expect(lookupPivots(hits, { lookup: 'domain', type: 'domain', value: 'example.com' })).toEqual([
      { lookup: 'hash', value: SHA },
      { lookup: 'domain', value: 'cdn.example.com' },
      { lookup: 'ip', value: '203.0.113.7' },
      { lookup: 'ip', value: '198.51.100.9' },
    ]);
  });

  test('telemetry values that are not valid entities are never offered', () => {
    const hostile = hit('d1', {
      SHA256s: ["ab' or 1==1", 'ab'.repeat(31)],
      RemoteUrls: ['evil.com | take 1', 'exa\nmple.com', "x'.com"],
      RemoteIPs: ['203.0.113.999', '1.2.3.4; drop'],
      FileNames: ['cdn.example.com'],
    });
    expect(lookupPivots([hostile])).toEqual([]);
  });

  test('a pivot press names a device by its place in a stable order and an entity by its index, nothing else', () => {
    const hits = [hit('b'.repeat(40), { RemoteIPs: ['203.0.113.7'] }), hit('a'.repeat(40), {})];
    const run = finishedRun({ hits: [hits[0]], hidden: [hits[1]], windowText: '2d', entity: { lookup: 'domain', type: 'domain', value: 'example.com' }, pivots: lookupPivots(hits) });
    expect(devicesInOrder(run).map((h) => h.deviceId)).toEqual(['a'.repeat(40), 'b'.repeat(40)]);
    expect(pivotCommand(run, { device: 1 })).toBe(`lookup device ${'b'.repeat(40)} 2d`);
    expect(pivotCommand(run, { device: '0' })).toBe(`lookup device ${'a'.repeat(40)} 2d`);
    expect(pivotCommand(run, { entity: 0 })).toBe('lookup ip 203.0.113.7 2d');
    for (const bad of [{ device: 2 }, { device: -1 }, { device: '1; x' }, { entity: 5 }, { entity: 0.5 }, {}]) expect(pivotCommand(run, bad)).toBeUndefined();
    expect(pivotsOf(run, hits[0])).toEqual([{ index: 0, pivot: { lookup: 'ip', value: '203.0.113.7' } }]);
  });

  test('the result card of a lookup puts the entity on top and offers the pivots as buttons carrying only indexes', () => {
    const hits = [hit('b'.repeat(40), { RemoteIPs: ['203.0.113.7'] })];
    const run = finishedRun({ hits, title: 'Domain example.com', huntKey: 'lookup/domain:example.com', entity: { lookup: 'domain', type: 'domain', value: 'example.com' }, pivots: lookupPivots(hits) });
    const card = JSON.stringify(resultCard(run));
    expect(card).toContain('Looked up domain: example.com');
    expect(card).toContain('"title":"Look up this device","verb":"lookup.pivot","data":{"runId":"run-1","device":0}');
    expect(card).toContain('"title":"Look up 203.0.113.7","verb":"lookup.pivot","data":{"runId":"run-1","entity":0}');
    expect(JSON.stringify(resultCard(finishedRun({ hits })))).not.toContain('lookup.pivot');
  });
});
