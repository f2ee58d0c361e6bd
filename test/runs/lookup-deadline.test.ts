import { LookupDeadline } from '../../src/runs/lookup-deadline';
import { queryDeviceTools, shapeDeviceTools, type DeviceToolsOutcome, type DeviceToolsQueryContext } from '../../src/runs/device-tools';
import { kindLabel } from '../../src/runs/hunt-runner';
import { deviceToolsCardData } from '../../src/cards/device-tools-card';
import type { DeviceToolsRequest } from '../../src/domain/hunt-request';
import type { HuntRun } from '../../src/domain/hunt-run';
import type { QueryBackend } from '../../src/backends/query-backend';
import { catalogWithoutAnalysis, huntNamed, lastDays } from '../hunts/hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const anyDeskProcess = huntNamed(catalog, 'anydesk', 'process');
const anyDeskNetwork = huntNamed(catalog, 'anydesk', 'network');
const teamViewerNetwork = huntNamed(catalog, 'teamviewer', 'network');
const desktopNow = huntNamed(catalog, 'desktopnow', 'filesig');
const teamViewer = huntNamed(catalog, 'teamviewer', 'filesig');
const request: DeviceToolsRequest = { family: 'rmm', device: 'ws-1', hunts: [anyDeskProcess, anyDeskNetwork, teamViewerNetwork, desktopNow, teamViewer] };

/** Never asked: every hunt below is refused by its verdict or never started, so no query is sent. */
const noBackend: QueryBackend = {
  name: 'none',
  description: 'no backend',
  run: () => Promise.reject(new Error('no query should be sent')),
};

/**
 * A lookup whose every signal takes one (simulated) second: the verdict advances the clock and refuses
 * the hunt, so each started hunt is "not sent" and costs no backend call.
 */
function timedContext(deadlineSeconds: number | undefined, batched: boolean): { context: DeviceToolsQueryContext; verdicts: string[] } {
  let now = 0;
  const verdicts: string[] = [];
  const context: DeviceToolsQueryContext = {
    backend: noBackend,
    window: lastDays(7),
    correlationId: 'c-1',
    batched,
    deadlineSeconds,
    clock: () => now,
    verdict: (hunt) => {
      verdicts.push(hunt.id);
      now += 1_000;
      return [{ severity: 'Error', code: 'KS000', message: 'refused for the test', start: 0, length: 1, line: 1, column: 1 }];
    },
  };
  return { context, verdicts };
}

describe('the lookup deadline', () => {
  test('has not passed before its seconds are up, has from then on, and never without seconds', () => {
    let now = 1_000;
    const deadline = new LookupDeadline(2, () => now);
    now = 2_999;
    expect(deadline.passed()).toBe(false);
    now = 3_000;
    expect(deadline.passed()).toBe(true);
    expect(new LookupDeadline(undefined, () => (now += 1e9)).passed()).toBe(false);
  });

  test('starts no further signal once it has passed, one query per hunt: the hunts after it are marked not started', async () => {
    const { context, verdicts } = timedContext(2, false);
    const outcome = await queryDeviceTools(request, context);
    expect(verdicts).toEqual([anyDeskProcess.id, anyDeskNetwork.id]);
    expect(outcome.deadlineSeconds).toBe(2);
    expect(outcome.parts.map((p) => ('notStarted' in p ? 'not started' : 'blind' in p ? 'refused' : 'rows'))).toEqual(['refused', 'refused', 'not started', 'not started', 'not started']);
  });

  test('starts no further batch once it has passed (a metered backend): every hunt of the later batches is marked not started', async () => {
    const { context, verdicts } = timedContext(1, true);
    const outcome = await queryDeviceTools(request, context);
    // The first batch (AnyDesk's process hunt) was started; its hunt was checked, the rest never were.
    expect(verdicts).toEqual([anyDeskProcess.id]);
    expect(outcome.parts.filter((p) => 'notStarted' in p).map((p) => p.huntId).sort()).toEqual([anyDeskNetwork.id, teamViewerNetwork.id, desktopNow.id, teamViewer.id].sort());
  });

  test('leaves every hunt started when it does not pass, and says nothing of a deadline', async () => {
    const { context, verdicts } = timedContext(60, false);
    const outcome = await queryDeviceTools(request, context);
    expect(verdicts).toHaveLength(5);
    expect(outcome.deadlineSeconds).toBeUndefined();
    expect(outcome.parts.some((p) => 'notStarted' in p)).toBe(false);
  });
});

describe('a device lookup card whose deadline passed', () => {
  const row = { deviceId: 'd1', deviceName: 'ws-1.contoso.local', firstSeen: '2026-12-01T00:00:00Z', lastSeen: '2026-12-02T00:00:00Z', count: 2 };
  const shaped = (outcome: DeviceToolsOutcome) => shapeDeviceTools(request, outcome, { tags: [], scenarios: [], kindLabel });
  const card = (outcome: DeviceToolsOutcome) => deviceToolsCardData({ deviceTools: shaped(outcome) } as HuntRun);

  const stopped: DeviceToolsOutcome = {
    durationMs: 5,
    deadlineSeconds: 90,
    parts: [
      { huntId: anyDeskProcess.id, rows: [row] },
      { huntId: anyDeskNetwork.id, rows: [] },
      { huntId: teamViewerNetwork.id, notStarted: true },
      { huntId: desktopNow.id, notStarted: true },
      { huntId: teamViewer.id, notStarted: true },
    ],
  };

  test('names exactly the signal kinds and tools not looked at, and the deadline that stopped them', () => {
    expect(shaped(stopped).notLookedAt).toEqual([
      'Not looked at: the 90 s lookup deadline (HUNT_LOOKUP_DEADLINE_SECONDS) passed before 3 signals of 5 could start; what was found before it is shown.',
      'Not looked at: network connection signals of TeamViewer.',
      'Not looked at: file signature signals of all 2 tools.',
    ]);
  });

  test('still shows what was found before it, counted as a partial check', () => {
    const data = card(stopped);
    expect(data.lines).toEqual([expect.stringMatching(/^AnyDesk — process · 2 events · /)]);
    expect(data.status[0]).toBe('1 of 1 catalogued RMM tool seen on this device; 2 signals checked (2 of 5 signals could be checked).');
    expect(data.problems.slice(0, 3)).toEqual(shaped(stopped).notLookedAt);
  });

  test('never says "No catalogued RMM tool seen" when nothing was found before it', () => {
    const nothing: DeviceToolsOutcome = { ...stopped, parts: [{ huntId: anyDeskProcess.id, rows: [] }, ...stopped.parts.slice(1)] };
    const data = card(nothing);
    expect(data.status.join(' ')).not.toContain('No catalogued RMM tool seen on this device');
    expect(data.status[0]).toBe('No catalogued RMM tool seen in the signals that could be checked (2 of 5 signals could be checked): not a clean result.');
  });

  test('a lookup that looked at everything has no not-looked-at lines', () => {
    const complete: DeviceToolsOutcome = { durationMs: 5, parts: request.hunts.map((h) => ({ huntId: h.id, rows: [] })) };
    expect(shaped(complete).notLookedAt).toBeUndefined();
    expect(card(complete).status[0]).toMatch(/^No catalogued RMM tool seen on this device: /);
  });
});
