import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../../src/cli/check-command';
import { queryCommand } from '../../src/cli/query-command';
import { envForFile } from '../support/env-for-file';
import { warmUpKql } from '../../src/kql';
import { capturedIO } from '../support/captured-io';

beforeAll(warmUpKql);

// In process, the engine's memory budget counts the whole jest worker's heap, other test files' data
// included; these tests are about rows and output, so the budget is lifted for them. And the query is
// analysed here, not by a process started from the parser's snapshot (test/e2e/analysis-process.test.ts).
envForFile({ HUNT_ENGINE_WORKER_MEMORY_MB: '65536', HUNTBOT_PARSER_SNAPSHOT: '0' });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kql-cli-'));
  const rows = [
    { Timestamp: '2024-05-01T10:00:00Z', DeviceId: 'd1', DeviceName: 'alpha', OSPlatform: 'Windows11' },
    { Timestamp: '2024-05-03T10:00:00Z', DeviceId: 'd2', DeviceName: 'beta-long-name', OSPlatform: 'Windows10' },
  ];
  writeFileSync(join(dir, 'DeviceInfo.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('huntbot query', () => {
  it('prints exactly {"columns","rows"} with --json', async () => {
    const io = capturedIO();
    const code = await queryCommand(['--data', dir, '--json', 'DeviceInfo | project DeviceId, Timestamp | take 1'], io);
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      columns: [
        { name: 'DeviceId', type: 'string' },
        { name: 'Timestamp', type: 'datetime' },
      ],
      rows: [['d1', '2024-05-01T10:00:00.0000000Z']],
    });
  });

  it('prints an aligned table and honours --now', async () => {
    const io = capturedIO();
    const code = await queryCommand(['--data', dir, '--now', '2024-05-04T00:00:00Z', 'DeviceInfo | where Timestamp > ago(2d) | project DeviceName, OSPlatform'], io);
    expect(code).toBe(0);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines[0]).toMatch(/^DeviceName\s+OSPlatform$/);
    expect(lines[1]).toMatch(/^-+\s+-+$/);
    expect(lines[2]).toBe('beta-long-name  Windows10');
    expect(lines[0].indexOf('OSPlatform')).toBe(lines[2].indexOf('Windows10'));
    expect(lines[3]).toBe('(1 row)');
  });

  it('keeps a snapshot of the folder in HUNT_CACHE_DIR and answers the same from it on the next run', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kql-cli-cache-'));
    const before = process.env.HUNT_CACHE_DIR;
    process.env.HUNT_CACHE_DIR = cacheDir;
    try {
      const kql = 'DeviceInfo | project DeviceName, Timestamp, OSPlatform';
      const first = capturedIO();
      expect(await queryCommand(['--data', dir, '--json', kql], first)).toBe(0);
      // The loader thread writes the snapshot after handing the data over.
      const deadline = Date.now() + 60_000;
      while (!readdirSync(cacheDir).some((f) => f.endsWith('.snapshot')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(cacheDir).filter((f) => f.endsWith('.snapshot'))).toHaveLength(1);
      const second = capturedIO();
      expect(await queryCommand(['--data', dir, '--json', kql], second)).toBe(0);
      expect(second.stdout).toEqual(first.stdout);
      expect(JSON.parse(first.stdout.join('')).rows).toHaveLength(2);
    } finally {
      if (before === undefined) delete process.env.HUNT_CACHE_DIR;
      else process.env.HUNT_CACHE_DIR = before;
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('runs over the generated sample telemetry when no --data is given', async () => {
    const io = capturedIO();
    const code = await queryCommand(['--json', '--now', '2024-05-04T00:00:00Z', 'DeviceInfo | count'], io);
    expect(code).toBe(0);
    const result = JSON.parse(io.stdout.join(''));
    expect(result.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(result.rows[0][0]).toBeGreaterThan(0);
  });

  it.each([
    [['--frobnicate', 'print 1'], /unknown option --frobnicate/],
    [['--json'], /missing the KQL query/],
    [['--now', 'yesterday', 'print 1'], /--now must be an ISO 8601 time/],
    [['print 1', '--data'], /--data needs a value/],
  ])('rejects the usage mistake %j with one line and exit 2', async (args, message) => {
    const io = capturedIO();
    expect(await queryCommand(args as string[], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(message);
  });

  it('fails with exit 1, like huntbot hunt, when the data folder cannot be read', async () => {
    const io = capturedIO();
    expect(await queryCommand(['--data', '/no/such/folder', 'print 1'], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/cannot read the data folder/);
  });

  it('prints diagnostics and exits 1 for an invalid query', async () => {
    const io = capturedIO();
    expect(await queryCommand(['--data', dir, 'DeviceInfo | where Nope == 1'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/^Error KS142 1:20 /);
  });
});

describe('huntbot check', () => {
  it('says OK and exits 0 for a valid query', async () => {
    const io = capturedIO();
    expect(await checkCommand(['DeviceInfo | take 1'], io)).toBe(0);
    expect(io.stdout).toEqual(['OK: no diagnostics']);
  });

  it('prints code, line:col and message and exits 1 on errors', async () => {
    const io = capturedIO();
    expect(await checkCommand(['DeviceInfo\n| where Singer has "x"'], io)).toBe(1);
    expect(io.stdout[0]).toMatch(/^Error KS142 2:9 The name 'Singer'/);
  });

  it('rejects a missing query', async () => {
    const io = capturedIO();
    expect(await checkCommand([], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/missing the KQL query/);
  });
});
