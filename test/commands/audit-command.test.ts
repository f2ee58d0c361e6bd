import { parseAuditArgs } from '../../src/commands/audit-command';
import { tokenize } from '../../src/commands/command-text';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const now = new Date('2026-12-03T12:00:00.000Z');
const parse = (text: string) => {
  const raw = tokenize(text);
  return parseAuditArgs(catalog, { raw, words: raw.map((w) => w.toLowerCase()) }, now);
};

describe('audit [<family> <tool>] [<device>] [since <date>]', () => {
  test('with no words, everything', () => {
    expect(parse('')).toEqual({ page: 0, text: 'audit' });
  });

  test('a family alone filters by family; any other single word is a device, kept as typed', () => {
    expect(parse('rmm')).toMatchObject({ family: 'rmm' });
    expect(parse('FIN-WS-001')).toMatchObject({ device: 'FIN-WS-001' });
  });

  test('family and tool give the hunt key; a third word is the device', () => {
    expect(parse('rmm desktopnow fin-ws-001')).toMatchObject({ huntKey: 'rmm/desktopnow', device: 'fin-ws-001' });
  });

  test('since takes a date or an age, and page a number; paging keeps the rest of the command', () => {
    expect(parse('rmm desktopnow since 2026-11-01 page 3')).toMatchObject({
      huntKey: 'rmm/desktopnow',
      since: new Date('2026-11-01T00:00:00.000Z'),
      page: 2,
      text: 'audit rmm desktopnow since 2026-11-01',
    });
    expect(parse('since 7d')).toMatchObject({ since: new Date('2026-11-26T12:00:00.000Z') });
  });

  test.each([
    ['since yesterday', '"since" needs a date (YYYY-MM-DD) or an age (7d, 12h).'],
    ['since 2026-02-30', '"since" needs a date'],
    ['page 0', 'is not a page number'],
    ['rmm nosuchtool', 'Usage: `audit'],
    ['a b c d', 'Usage: `audit'],
  ])('explains what is wrong with "%s"', (text, message) => {
    expect((parse(text) as { problem: string }).problem).toContain(message);
  });
});
