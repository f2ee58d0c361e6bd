import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { queryCommand } from '../../src/cli/query-command';
import { warmUpKql } from '../../src/kql';
import { capturedIO } from '../support/captured-io';
import { envForFile } from '../support/env-for-file';

beforeAll(warmUpKql);

// In process, the engine's memory budget counts the whole jest worker's heap, other test files' data
// included; these tests are about rows and output, so the budget is lifted for them. And the query is
// analysed here, not by a process started from the parser's snapshot (test/e2e/analysis-process.test.ts).
envForFile({ HUNT_ENGINE_WORKER_MEMORY_MB: '65536', HUNTBOT_PARSER_SNAPSHOT: '0' });

// These queries read no table: a one-row data folder spares each run generating the sample telemetry.
// Its snapshot goes to a cache folder beside it, not the working directory's.
let tempDir: string;
let dataDir: string;
beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-limits-'));
  dataDir = path.join(tempDir, 'data');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'DeviceInfo.jsonl'), JSON.stringify({ Timestamp: '2024-05-01T10:00:00Z', DeviceId: 'd1', DeviceName: 'alpha' }));
});
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

/** Runs `huntbot query` with some settings in the environment, as a user would export them. */
async function queryWith(env: Record<string, string>, kql: string): Promise<{ code: number; io: ReturnType<typeof capturedIO> }> {
  const settings = { HUNT_CACHE_DIR: path.join(tempDir, 'cache'), ...env };
  const saved = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    const io = capturedIO();
    return { code: await queryCommand(['--data', dataDir, '--now', '2024-05-04T00:00:00Z', kql], io), io };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('huntbot query under the engine limits', () => {
  it('stops a query past HUNT_ENGINE_MAX_ROWS with one line naming the operator and the setting', async () => {
    const { code, io } = await queryWith({ HUNT_ENGINE_MAX_ROWS: '1000' }, 'range x from 1 to 5000 step 1 | summarize count() by x');
    expect(code).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual(['huntbot query: The range at line 1, column 1 produced more than 1,000 rows (HUNT_ENGINE_MAX_ROWS), so the query was stopped.']);
  });

  it('answers the same query when the budget allows it', async () => {
    const { code, io } = await queryWith({ HUNT_ENGINE_MAX_ROWS: '5000' }, 'range x from 1 to 5000 step 1 | summarize count() by x | count');
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain('5000');
  });

  it('refuses an invalid limit before running anything', async () => {
    const { code, io } = await queryWith({ HUNT_ENGINE_MAX_ROWS: 'many' }, 'print 1');
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/HUNT_ENGINE_MAX_ROWS must be a whole number/);
  });
});
