import { bookmarkIdOf, bookmarkOf, cleanNote } from '../../src/escalation/bookmark-content';
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
