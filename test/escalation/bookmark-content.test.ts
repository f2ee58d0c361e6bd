import { bookmarkIdOf, bookmarkOf, cleanNote, unbookmarkableReason } from '../../src/escalation/bookmark-content';
import { parseIncidentNumber } from '../../src/escalation/bookmark-service';
import { alice, hit, runWithHit } from './bookmark-fixture';

const now = new Date('2026-11-28T01:00:00.000Z');

describe('the bookmark made from a hit', () => {
  test('has one id per run and device, whoever presses and whenever', () => {
    expect(bookmarkIdOf('run-42', 'dev-a')).toBe(bookmarkIdOf('run-42', 'dev-a'));
    expect(bookmarkIdOf('run-42', 'dev-a')).not.toBe(bookmarkIdOf('run-43', 'dev-a'));
    expect(bookmarkIdOf('run-42', 'dev-a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('maps a single-label device name to HostName, and IPs, domains and accounts the hunt returned to their entities', () => {
    const h = hit({
      deviceName: 'KIOSK7',
      evidence: [
        { name: 'RemoteIP', values: ['203.0.113.9'] },
        { name: 'RemoteUrl', values: ['relay.example.net'] },
        { name: 'InitiatingProcessAccountName', values: ['svc-backup'] },
        { name: 'FileName', values: ['tool.exe'] },
      ],
    });
    const b = bookmarkOf(runWithHit(h), h, '', alice, now, () => []);
    expect(b.entityMappings).toEqual([
      { entityType: 'Host', fieldMappings: [{ identifier: 'FullName', value: 'KIOSK7' }, { identifier: 'HostName', value: 'KIOSK7' }] },
      { entityType: 'IP', fieldMappings: [{ identifier: 'Address', value: '203.0.113.9' }] },
      { entityType: 'DNS', fieldMappings: [{ identifier: 'DomainName', value: 'relay.example.net' }] },
      { entityType: 'Account', fieldMappings: [{ identifier: 'Name', value: 'svc-backup' }] },
    ]);
    expect(b.labels).toEqual(['huntbot', 'rmm-desktopnow-filesig']);
    expect(JSON.parse(b.queryResult)).toMatchObject({ FileName: ['tool.exe'] });
  });

  describe('of an Azure-Sentinel row about another entity than a host', () => {
    const primaryOf = (entityType: string, value: string) => {
      const h = hit({ deviceId: `${entityType}:${value}`, deviceName: value, evidence: [] });
      return bookmarkOf({ ...runWithHit(h), entityType }, h, '', alice, now, () => []).entityMappings[0];
    };

    test.each([
      ['Account', 'alice@contoso.com', [{ identifier: 'Name', value: 'alice' }, { identifier: 'UPNSuffix', value: 'contoso.com' }]],
      ['Account', 'CONTOSO\\bob', [{ identifier: 'Name', value: 'bob' }, { identifier: 'NTDomain', value: 'CONTOSO' }]],
      ['Account', '5f1c2d3e-0000-4000-8000-00000000abcd', [{ identifier: 'AadUserId', value: '5f1c2d3e-0000-4000-8000-00000000abcd' }]],
      ['Account', 'mallory', [{ identifier: 'Name', value: 'mallory' }]],
      ['IP', '203.0.113.7', [{ identifier: 'Address', value: '203.0.113.7' }]],
      ['URL', 'https://beacon.rare-c2.example/a', [{ identifier: 'Url', value: 'https://beacon.rare-c2.example/a' }]],
      ['FileHash', 'ab'.repeat(20), [{ identifier: 'Algorithm', value: 'SHA1' }, { identifier: 'Value', value: 'ab'.repeat(20) }]],
      ['FileHash', 'cd'.repeat(32), [{ identifier: 'Algorithm', value: 'SHA256' }, { identifier: 'Value', value: 'cd'.repeat(32) }]],
      ['FileHash', 'ef'.repeat(16), [{ identifier: 'Algorithm', value: 'MD5' }, { identifier: 'Value', value: 'ef'.repeat(16) }]],
    ])('maps a %s row %j to that entity kind, not a Host', (entityType, value, fieldMappings) => {
      expect(primaryOf(entityType, value)).toEqual({ entityType, fieldMappings });
    });

    test('maps a Sentinel Host row to a Host as before', () => {
      expect(primaryOf('Host', 'ws-001.contoso.local')).toEqual({
        entityType: 'Host',
        fieldMappings: [{ identifier: 'FullName', value: 'ws-001.contoso.local' }, { identifier: 'HostName', value: 'ws-001' }, { identifier: 'DnsDomain', value: 'contoso.local' }],
      });
    });

    test('refuses rows about an entity kind it cannot map, naming it; the bot\'s own device hunts and mapped kinds are bookmarkable', () => {
      expect(unbookmarkableReason({ entityType: 'Process' })).toBe(
        'Rows about a process cannot be bookmarked yet: the bot maps only hosts, accounts, IP addresses, URLs and file hashes to Sentinel entities. Nothing was written.',
      );
      for (const entityType of [undefined, 'Host', 'Account', 'IP', 'URL', 'FileHash']) expect(unbookmarkableReason({ entityType })).toBeUndefined();
    });
  });

  test('keeps the note clean and within its limit', () => {
    expect(cleanNote('  odd\u202Etext \r\n second line ')).toEqual({ text: 'oddtext \n second line', tooLong: false });
    expect(cleanNote('x'.repeat(1001)).tooLong).toBe(true);
    expect(cleanNote(42)).toEqual({ text: '', tooLong: false });
  });

  test.each([
    ['1234', 1234],
    ['#77', 77],
    [' 5 ', 5],
    ['0', undefined],
    ['12; drop', undefined],
    ['1e3', undefined],
    [undefined, undefined],
  ])('reads the incident number %j as %j', (input, expected) => {
    expect(parseIncidentNumber(input)).toBe(expected);
  });
});
