import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyseOver, answerQuery } from '../../src/cli/query-answer';
import { loadConfig } from '../../src/config/config';
import { loadSharedDatabase } from '../../src/data/data-source';
import { warmUpKql } from '../../src/kql';
import type { KqlDatabase } from '../../src/kql/database';
import { capturedIO } from '../support/captured-io';

beforeAll(warmUpKql);

describe('huntbot query with the analyses it kept in HUNT_CACHE_DIR', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-kept-analyses-'));
  const data = path.join(root, 'data');
  const config = loadConfig({ HUNT_CACHE_DIR: path.join(root, 'cache'), HUNT_ENGINE_WORKER_MEMORY_MB: '65536' });
  const keptDir = path.join(config.cacheDir, 'kql-analyses');
  const asked: string[] = [];
  const countingAnalyser = (db: KqlDatabase, kql: string) => (asked.push(kql), analyseOver(db, kql));
  const NOW = new Date('2024-05-04T00:00:00Z');

  beforeAll(() => {
    fs.mkdirSync(data, { recursive: true });
    const rows = [
      { Timestamp: '2024-05-01T10:00:00Z', DeviceId: 'd1', DeviceName: 'alpha', OSPlatform: 'Windows11' },
      { Timestamp: '2024-05-03T10:00:00Z', DeviceId: 'd2', DeviceName: 'beta', OSPlatform: 'Windows10' },
    ];
    fs.writeFileSync(path.join(data, 'DeviceInfo.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  async function ask(kql: string, dir = data): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
    const io = capturedIO();
    const code = await answerQuery({ kql, json: true, now: NOW }, config, Promise.resolve(loadSharedDatabase({ kind: 'folder', dir })), io, { analyse: countingAnalyser });
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  it('answers a query asked again without analysing it again, with the same answer', async () => {
    const kql = 'DeviceInfo | where Timestamp > ago(2d) | project DeviceName, OSPlatform';
    const first = await ask(kql);
    expect(first).toEqual({ code: 0, stdout: [JSON.stringify({ columns: [{ name: 'DeviceName', type: 'string' }, { name: 'OSPlatform', type: 'string' }], rows: [['beta', 'Windows10']] })], stderr: [] });
    expect(await ask(kql)).toEqual(first);
    expect(asked.filter((q) => q === kql)).toHaveLength(1);
  });

  it('prints the same diagnostics for a query with errors, from the kept analysis too', async () => {
    const kql = 'DeviceInfo | extend x = nosuch';
    const first = await ask(kql);
    expect(first.code).toBe(1);
    expect(first.stderr).toEqual([expect.stringMatching(/^Error KS142 1:25 The name 'nosuch' does not refer to any known column/)]);
    expect(await ask(kql)).toEqual(first);
    expect(asked.filter((q) => q === kql)).toHaveLength(1);
  });

  it('analyses again for data with other tables of its own (the analysis depends on their columns)', async () => {
    const other = path.join(root, 'other-data');
    fs.mkdirSync(other, { recursive: true });
    fs.copyFileSync(path.join(data, 'DeviceInfo.jsonl'), path.join(other, 'DeviceInfo.jsonl'));
    fs.writeFileSync(path.join(other, 'CustomTable_CL.jsonl'), JSON.stringify({ TimeGenerated: '2024-05-03T10:00:00Z', Note: 'n' }));
    const kql = 'DeviceInfo | count';
    await ask(kql);
    await ask(kql, other);
    await ask(kql, other);
    await ask(kql);
    expect(asked.filter((q) => q === kql)).toHaveLength(2);
  });

  it('does not use a damaged or foreign file: the query is analysed again and answered the same', async () => {
    const kql = 'DeviceInfo | summarize n = count() by OSPlatform | order by OSPlatform asc';
    const first = await ask(kql);
    const [file] = fs.readdirSync(keptDir).filter((name) => fs.readFileSync(path.join(keptDir, name), 'utf8').includes('summarize n = count()'));
    const text = fs.readFileSync(path.join(keptDir, file), 'utf8');
    // A tree edited in place (its checksum no longer matches).
    fs.writeFileSync(path.join(keptDir, file), text.replace('"OSPlatform"', '"DeviceName"'));
    expect(await ask(kql)).toEqual(first);
    // A whole, self-consistent file of another query under this query's name.
    const entries = (JSON.parse(text) as { entries: Array<{ analysis: { text: string } }> }).entries;
    for (const entry of entries) entry.analysis.text = entry.analysis.text.replace('summarize n', 'summarize m');
    fs.writeFileSync(path.join(keptDir, file), JSON.stringify({ sum: createHash('sha256').update(JSON.stringify(entries)).digest('base64url'), entries }));
    expect(await ask(kql)).toEqual(first);
    expect(asked.filter((q) => q === kql)).toHaveLength(3);
  });
});
