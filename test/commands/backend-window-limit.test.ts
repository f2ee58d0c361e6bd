import { handleHunt } from '../../src/commands/hunt-command';
import type { WindowLimit } from '../../src/domain/hunt-request';
import { HuntCatalog } from '../../src/hunts/catalog';
import { loadHuntFile } from '../../src/hunts/hunt-file';
import { huntFileText } from '../hunts/hunt-fixtures';

const DEFENDER: WindowLimit = { maxMs: 30 * 86_400_000, reason: 'Defender XDR advanced hunting keeps 30 days of data.' };

/** One tool whose hunt may look back `maxWindow` and defaults to `defaultWindow`. */
function catalogWith(maxWindow: string, defaultWindow: string): HuntCatalog {
  const loaded = loadHuntFile(huntFileText({ extra: `maxWindow: ${maxWindow}\ndefaultWindow: ${defaultWindow}` }), 'test', {
    defaultScenarios: [],
    checkQuery: () => [],
    withExclusionFilter: false,
  });
  if (!loaded.ok) throw new Error(loaded.reason);
  return HuntCatalog.fromHunts([loaded.hunt]);
}

const NOW = new Date('2026-12-03T18:00:00Z');

function replyOf(catalog: HuntCatalog, text: string, limit?: WindowLimit) {
  const words = text.split(' ');
  return handleHunt(catalog, { words, raw: words }, { backendLimit: limit, now: NOW, timeZone: 'UTC' });
}

function requestOf(catalog: HuntCatalog, text: string, limit?: WindowLimit) {
  const reply = replyOf(catalog, text, limit);
  if (reply.kind !== 'run-hunt') throw new Error(`expected a hunt, got ${JSON.stringify(reply)}`);
  return reply.request;
}

describe('a backend\'s look-back limit in the hunt command', () => {
  it('caps a hunt allowed 90 days to the backend\'s 30, and says it was the backend\'s limit', () => {
    const request = requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 60d', DEFENDER);

    expect(request.window).toEqual({ text: '30d', ms: 30 * 86_400_000 });
    expect(request.cappedFrom).toBe('60d');
    expect(request.cappedBecause).toBe(DEFENDER.reason);
  });

  it('leaves a window within both limits alone', () => {
    const request = requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 20d', DEFENDER);

    expect(request.window.text).toBe('20d');
    expect(request.cappedFrom).toBeUndefined();
    expect(request.cappedBecause).toBeUndefined();
  });

  it('names no backend reason when the hunt\'s own maxWindow is the tighter one', () => {
    const request = requestOf(catalogWith('7d', '5d'), 'rmm contosoremote 60d', DEFENDER);

    expect(request.window.text).toBe('7d');
    expect(request.cappedFrom).toBe('60d');
    expect(request.cappedBecause).toBeUndefined();
  });

  it('shortens a default window longer than the backend keeps, without calling it a cap the user asked for', () => {
    const request = requestOf(catalogWith('90d', '60d'), 'rmm contosoremote', DEFENDER);

    expect(request.window.text).toBe('30d');
    expect(request.cappedFrom).toBeUndefined();
  });

  it('without a backend limit, a 90-day hunt keeps its 60 days', () => {
    expect(requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 60d').window.text).toBe('60d');
  });

  it('refuses an absolute window that ended before the backend\'s earliest day, instead of a false "0 devices"', () => {
    const reply = replyOf(catalogWith('90d', '5d'), 'rmm contosoremote 2026-09-01T00:00Z..2026-09-03T00:00Z', DEFENDER);

    expect(reply).toEqual({ kind: 'text', text: expect.stringContaining('Defender XDR advanced hunting keeps 30 days of data.') });
    expect(reply.kind === 'text' && reply.text).toContain('ends before 2026-11-03T18:00Z');
  });

  it('cuts an absolute window that starts before the backend\'s earliest day to start there, and says why', () => {
    const request = requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 2026-10-30T00:00Z..2026-11-05T00:00Z', DEFENDER);

    expect(request.window.range?.start.toISOString()).toBe('2026-11-03T18:00:00.000Z');
    expect(request.window.range?.end.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(request.window.text).toBe('2026-11-03T18:00Z..2026-11-05T00:00Z');
    expect(request.cappedFrom).toBe('2026-10-30T00:00Z..2026-11-05T00:00Z');
    expect(request.cappedBecause).toBe(DEFENDER.reason);
  });

  it('leaves an absolute window inside the backend\'s reach alone', () => {
    const request = requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 2026-11-20T00:00Z..2026-11-22T00:00Z', DEFENDER);

    expect(request.window.range?.start.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(request.cappedFrom).toBeUndefined();
    expect(request.cappedBecause).toBeUndefined();
  });

  it('without a backend limit, an old absolute window is sent as asked', () => {
    expect(requestOf(catalogWith('90d', '5d'), 'rmm contosoremote 2026-09-01T00:00Z..2026-09-03T00:00Z').window.range?.start.toISOString()).toBe('2026-09-01T00:00:00.000Z');
  });
});
