import { HuntRunner } from '../../src/runs/hunt-runner';
import { queryDeviceTools } from '../../src/runs/device-tools';
import type { QueryBackend } from '../../src/backends/query-backend';
import type { HuntRunRequest } from '../../src/domain/hunt-request';
import type { Requester } from '../../src/domain/requester';
import type { FailedHuntRun } from '../../src/domain/hunt-run';
import { catalogWithoutAnalysis, huntNamed, lastDays, NOW } from '../hunts/hunt-fixtures';

/**
 * When the parser cannot give its verdict on a hunt's query (in local mode: the engine's parser process
 * stopped, or waits out a restart storm), the hunt is never sent unchecked: the run fails saying why,
 * and a lookup marks that signal as not sent, with why.
 */

const STOPPED = 'the Kusto parser process stopped 4 times within 60 s (last: it ran out of memory); it restarts at 2026-11-28T03:01:00.000Z, run the hunt again after that';
const catalog = catalogWithoutAnalysis();
const anyDesk = huntNamed(catalog, 'anydesk', 'process');
const requester: Requester = { id: 'u-1', aadObjectId: 'aad-1', name: 'Responder', tenantId: 't-1', conversationId: 'c-1' };

/** Records every query sent to it: none may be. */
function recordingBackend(): { backend: QueryBackend; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    backend: { name: 'embedded', description: 'test engine', run: async (request) => (sent.push(request.kql), { result: { columns: [], rows: [] }, durationMs: 1 }) },
  };
}

test('a hunt whose query the parser could not check fails with the reason and is not sent', async () => {
  const { backend, sent } = recordingBackend();
  const runner = new HuntRunner({ backend, checkQuery: () => Promise.reject(new Error(STOPPED)), now: () => NOW });
  const request: HuntRunRequest = {
    family: 'rmm',
    tool: catalog.tools('rmm').find((tool) => tool.tool === 'anydesk')!,
    kind: 'process',
    hunts: [anyDesk],
    window: { text: '7d', ms: 7 * 86_400_000 },
  };
  const run = (await runner.complete(runner.start(request, requester), request)) as FailedHuntRun;
  expect(run.status).toBe('failed');
  expect(run.failure.message).toBe(`The hunt "${anyDesk.name}" could not be checked before it was sent: ${STOPPED}`);
  expect(sent).toEqual([]);
});

test('a lookup signal whose query the parser could not check is marked not sent, with the reason', async () => {
  const { backend, sent } = recordingBackend();
  for (const batched of [false, true]) {
    const outcome = await queryDeviceTools(
      { family: 'rmm', device: 'ws-1', hunts: [anyDesk] },
      { backend, window: lastDays(7), correlationId: 'c-1', batched, verdict: () => Promise.reject(new Error(STOPPED)) },
    );
    expect(outcome.parts).toEqual([{ huntId: anyDesk.id, blind: `the hunt "${anyDesk.name}" could not be checked, so it was not sent: ${STOPPED}` }]);
  }
  expect(sent).toEqual([]);
});
