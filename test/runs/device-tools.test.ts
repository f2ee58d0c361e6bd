import { shapeDeviceTools, type DeviceToolsOutcome } from '../../src/runs/device-tools';
import { kindLabel } from '../../src/runs/hunt-runner';
import type { DeviceToolsRequest } from '../../src/domain/hunt-request';
import { exclusion } from '../stores/exclusion-fixture';
import { catalogWithoutAnalysis, huntNamed } from '../hunts/hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const anyDeskProcess = huntNamed(catalog, 'anydesk', 'process');
const anyDeskNetwork = huntNamed(catalog, 'anydesk', 'network');
const desktopNow = huntNamed(catalog, 'desktopnow', 'filesig');
const teamViewer = huntNamed(catalog, 'teamviewer', 'filesig');
const allTools = huntNamed(catalog, 'any', 'network');
const request: DeviceToolsRequest = { family: 'rmm', device: 'ws-1', hunts: [anyDeskProcess, anyDeskNetwork, desktopNow, teamViewer, allTools] };

const row = (count: number, first: string, last: string, tools?: string[]) => ({ deviceId: 'd1', deviceName: 'ws-1.contoso.local', firstSeen: first, lastSeen: last, count, ...(tools ? { tools } : {}) });
const outcome: DeviceToolsOutcome = {
  durationMs: 12,
  parts: [
    { huntId: allTools.id, rows: [row(9, '2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z', ['AnyDesk', 'TeamViewer'])] },
    { huntId: anyDeskProcess.id, rows: [row(2, '2026-12-02T00:00:00Z', '2026-12-02T05:00:00Z')] },
    { huntId: anyDeskNetwork.id, rows: [row(3, '2026-12-01T10:00:00Z', '2026-12-02T01:00:00Z')] },
    { huntId: desktopNow.id, blind: 'DeviceFileCertificateInfo holds no data' },
    { huntId: teamViewer.id, blind: 'DeviceFileCertificateInfo holds no data' },
  ],
};
const shape = (tags: Parameters<typeof shapeDeviceTools>[2]['tags']) =>
  shapeDeviceTools(request, outcome, { tags, scenarios: [], huntKeyOfTool: (name) => catalog.huntKeyOfTool('rmm', name), kindLabel });

describe('a device lookup’s RMM tools section', () => {
  test('merges a tool’s signals, counts the all-tools hunt only for a tool its own network hunt did not see, newest first', () => {
    const section = shape([]);
    expect(section.seen.map((t) => [t.toolName, t.kinds, t.count, t.firstSeen, t.lastSeen])).toEqual([
      ['TeamViewer', ['network connection'], 9, '2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'],
      ['AnyDesk', ['process', 'network connection'], 5, '2026-12-01T10:00:00Z', '2026-12-02T05:00:00Z'],
    ]);
    expect(section).toMatchObject({ signalsChecked: 3, signalsTotal: 5, toolsChecked: 1, hidden: [] });
  });

  test('says which signal kinds it could not look at, once per kind with the number of hunts', () => {
    expect(shape([]).couldNotLook).toEqual(['Could not look at file signature signals (2 hunts): DeviceFileCertificateInfo holds no data']);
  });

  test.each([
    ['this tool on this device', { huntKey: 'rmm/anydesk', deviceId: 'd1' }],
    ['every tool of the family on this device', { huntKey: 'rmm/*', deviceId: 'd1' }],
    ['this tool on every device', { huntKey: 'rmm/anydesk', deviceId: '*' }],
  ])('hides a tool tagged benign for %s, with its tag', (_scope, tag) => {
    const section = shape([exclusion(tag)]);
    const hiddenNames = section.hidden.map((t) => t.toolName);
    expect(hiddenNames).toContain('AnyDesk');
    expect(section.hidden.find((t) => t.toolName === 'AnyDesk')?.tag?.byName).toBe('Alice');
    expect(section.seen.map((t) => t.toolName)).not.toContain('AnyDesk');
  });

  test('ignores a tag on another device or another tool', () => {
    const section = shape([exclusion({ huntKey: 'rmm/anydesk', deviceId: 'd2' }), exclusion({ huntKey: 'rmm/desktopnow', deviceId: 'd1' })]);
    expect(section.hidden).toEqual([]);
  });

  test('hides nothing and says so when the tags cannot be read', () => {
    const section = shape({ unreadable: 'the watchlist answered 503' });
    expect(section.seen).toHaveLength(2);
    expect(section.notes).toEqual(['Could not read the benign tags (the watchlist answered 503); no tool was hidden as benign.']);
  });
});
