import { splitBenign, TAGGED_TOOLS_EVIDENCE, type BenignTagRule } from '../../src/runs/benign-tags';
import type { DeviceHit } from '../../src/domain/hunt-run';
import { exclusion } from '../stores/exclusion-fixture';
import { hitWithEvidence } from '../support/run-fixtures';

function hit(deviceId: string, tools?: string[]): DeviceHit {
  return hitWithEvidence(deviceId, tools ? { Tools: tools } : {});
}

const TOOL_KEYS: Record<string, string> = { DesktopNow: 'rmm/desktopnow', AnyDesk: 'rmm/anydesk' };
const allTools = (tags: BenignTagRule['tags']): BenignTagRule => ({
  huntKey: 'rmm/any',
  scenarios: [],
  tags,
  toolColumn: 'Tools',
  huntKeyOfTool: (name) => TOOL_KEYS[name],
});
const ids = (hits: DeviceHit[]) => hits.map((h) => h.deviceId);

describe('which hits are hidden as benign', () => {
  test('a per-tool hunt hides a device tagged for that hunt, with its tag, and ignores other hunts’ tags', () => {
    const tags = [exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd1' }), exclusion({ huntKey: 'rmm/anydesk', deviceId: 'd2' })];

    const { shown, hidden } = splitBenign([hit('d1'), hit('d2')], { huntKey: 'rmm/desktopnow', scenarios: [], tags });

    expect(ids(shown)).toEqual(['d2']);
    expect(ids(hidden)).toEqual(['d1']);
    expect(hidden[0].tag?.byName).toBe('Alice');
  });

  test('the all-tools hunt hides a device tagged for every tool that hit it, without a tag of its own to untag', () => {
    const tags = [exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd1' }), exclusion({ huntKey: 'rmm/anydesk', deviceId: 'd1' })];

    const { shown, hidden } = splitBenign([hit('d1', ['DesktopNow', 'AnyDesk'])], allTools(tags));

    expect(ids(shown)).toEqual([]);
    expect(hidden[0].tag).toBeUndefined();
    expect(hidden[0].evidence).toContainEqual({ name: TAGGED_TOOLS_EVIDENCE, values: ['DesktopNow (it-admin-tool — Alice)', 'AnyDesk (it-admin-tool — Alice)'] });
  });

  test('the all-tools hunt still shows a device an untagged tool hit, saying which tools are tagged', () => {
    const { shown, hidden } = splitBenign([hit('d1', ['DesktopNow', 'AnyDesk'])], allTools([exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd1' })]));

    expect(ids(hidden)).toEqual([]);
    expect(shown[0].evidence).toContainEqual({ name: TAGGED_TOOLS_EVIDENCE, values: ['DesktopNow (it-admin-tool — Alice)'] });
  });

  test('a family tag hides the device from every tool\'s hunt of the family, and a tool-everywhere tag every device, narrowest tag shown', () => {
    const family = exclusion({ huntKey: 'rmm/*', deviceId: 'd1', taggedByName: 'Fay' });
    const everywhere = exclusion({ huntKey: 'rmm/desktopnow', deviceId: '*', taggedByName: 'Eve' });
    const own = exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd2', taggedByName: 'Oli' });

    const perTool = splitBenign([hit('d1'), hit('d2'), hit('d3')], { huntKey: 'rmm/desktopnow', scenarios: [], tags: [family, everywhere, own] });
    expect(perTool.hidden.map((h) => [h.deviceId, h.tag?.byName, h.tag?.scope])).toEqual([
      ['d1', 'Fay', 'family-device'],
      ['d2', 'Oli', 'device'],
      ['d3', 'Eve', 'tool-everywhere'],
    ]);
    expect(ids(splitBenign([hit('d1'), hit('d3')], { huntKey: 'rmm/anydesk', scenarios: [], tags: [family, everywhere] }).shown)).toEqual(['d3']);
    expect(ids(splitBenign([hit('d1', ['AnyDesk', 'DesktopNow'])], allTools([family])).hidden)).toEqual(['d1']);
  });

  test('the all-tools hunt hides a device tagged for itself, whatever tools hit it', () => {
    const { hidden } = splitBenign([hit('d1', ['AnyDesk'])], allTools([exclusion({ huntKey: 'rmm/any', deviceId: 'd1' })]));

    expect(hidden[0].tag?.byName).toBe('Alice');
  });

  test('a tag for the same tool on another device, or a tool the catalog does not know, hides nothing', () => {
    const { shown } = splitBenign([hit('d1', ['DesktopNow']), hit('d2', ['unknown'])], allTools([exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd9' })]));

    expect(ids(shown)).toEqual(['d1', 'd2']);
    expect(shown.every((h) => h.evidence.every((e) => e.name !== TAGGED_TOOLS_EVIDENCE))).toBe(true);
  });
});
