import { selectExpiring } from '../../src/tags/expiry-selection';
import type { TagConversation } from '../../src/tags/expiry-conversations';
import type { Exclusion } from '../../src/stores/exclusion-store';

const NOW = new Date('2026-12-03T08:00:00.000Z');
const DAY = 86_400_000;

function tag(device: string, expiresAtUtc: string): Exclusion {
  return {
    searchKey: `rmm|${device}`,
    huntKey: 'rmm',
    deviceId: device,
    deviceName: `${device}.contoso.local`,
    scenario: 'backup-job',
    justification: 'nightly',
    taggedByUpn: '',
    taggedByAadObjectId: 'a',
    taggedByName: 'Alice',
    taggedAtUtc: '2026-11-01T00:00:00.000Z',
    expiresAtUtc,
  };
}

const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const where = (id: string, ...devices: string[]): TagConversation => ({
  conversation: { id, tenantId: 't' },
  reference: { conversation: { id } },
  searchKeys: devices.map((d) => `rmm|${d}`),
});

describe('choosing the tags an expiring-tags card lists', () => {
  it('lists tags expiring within the window, soonest first, and leaves out later, never-expiring and already expired ones', () => {
    const tags = [tag('soon', inDays(2)), tag('edge', inDays(7)), tag('later', inDays(8)), tag('never', ''), tag('gone', inDays(-1)), tag('first', inDays(0.5))];
    const groups = selectExpiring(tags, [where('19:room', 'soon', 'edge', 'later', 'never', 'gone', 'first')], NOW, 7);
    expect(groups).toHaveLength(1);
    expect(groups[0].tags.map((t) => t.deviceId)).toEqual(['first', 'soon', 'edge']);
  });

  it('treats a tag expiring exactly now as already expired', () => {
    expect(selectExpiring([tag('now', NOW.toISOString())], [where('19:room', 'now')], NOW, 7)).toEqual([]);
  });

  it('groups tags by the conversation that saved them and gives a conversation with nothing expiring no group', () => {
    const tags = [tag('a1', inDays(1)), tag('a2', inDays(3)), tag('b1', inDays(2)), tag('c1', inDays(30))];
    const groups = selectExpiring(tags, [where('19:a', 'a1', 'a2'), where('19:b', 'b1'), where('19:c', 'c1')], NOW, 7);
    expect(groups.map((g) => [g.conversation.conversation.id, g.tags.map((t) => t.deviceId)])).toEqual([
      ['19:a', ['a1', 'a2']],
      ['19:b', ['b1']],
    ]);
  });

  it('leaves out tags saved where no conversation was recorded', () => {
    expect(selectExpiring([tag('orphan', inDays(1))], [where('19:a', 'other')], NOW, 7)).toEqual([]);
  });

  it('honours a shorter notice window', () => {
    const groups = selectExpiring([tag('d2', inDays(2)), tag('d4', inDays(4))], [where('19:a', 'd2', 'd4')], NOW, 3);
    expect(groups[0].tags.map((t) => t.deviceId)).toEqual(['d2']);
  });
});
