import { EmbeddedBackend } from '../../src/backends/embedded-backend';
import { KqlDatabase, warmUpKql } from '../../src/kql';

/**
 * `invoke FileProfile()` reads the FileProfile table locally: with none loaded every profile column is
 * null, so a filter on them looks like a clean 0 rows. The run must say it could not look.
 */

beforeAll(warmUpKql);

const NOW = new Date('2026-12-03T12:00:00Z');
const events = {
  DeviceFileEvents: [{ Timestamp: '2026-12-03T10:00:00Z', DeviceId: 'd1', DeviceName: 'ws-1', FileName: 'x.exe', SHA1: 'aa11' }],
};
const RARE_FILES = 'DeviceFileEvents | invoke FileProfile() | where GlobalPrevalence < 50 | project DeviceName, FileName';

async function runOver(tables: Parameters<typeof KqlDatabase.fromRows>[0]) {
  const backend = new EmbeddedBackend(KqlDatabase.fromRows(tables), 'test data', undefined, () => NOW);
  return backend.run({ kql: RARE_FILES, window: { start: new Date(NOW.getTime() - 86_400_000), end: NOW } });
}

describe('invoke FileProfile() on the embedded engine', () => {
  it('without a FileProfile table, the 0 rows come with "Could not look: table FileProfile has no data"', async () => {
    const outcome = await runOver(events);

    expect(outcome.result.rows).toEqual([]);
    expect(outcome.dataWarnings).toEqual([expect.objectContaining({ table: 'FileProfile', kind: 'no-data', message: expect.stringContaining('Could not look: table FileProfile has no data') })]);
  });

  it('with a FileProfile table, the rows it matches come back and nothing is flagged', async () => {
    const outcome = await runOver({ ...events, FileProfile: [{ Timestamp: '2026-12-01T00:00:00Z', SHA1: 'aa11', GlobalPrevalence: 3 }] });

    expect(outcome.result.rows).toEqual([['ws-1', 'x.exe']]);
    expect(outcome.dataWarnings).toBeUndefined();
  });
});
