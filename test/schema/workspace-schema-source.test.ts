import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryCheckCache, schemaVersion } from '../../src/hunts/query-check-cache';
import type { KqlDiagnostic } from '../../src/kql/types';
import { silentLogger } from '../../src/logging/logger';
import { bundledQuerySchema } from '../../src/schema/query-schema';
import { WorkspaceSchemaSource, workspaceSchemaCacheFile } from '../../src/schema/workspace-schema-source';

const table = (name: string) => ({ name, columns: [{ name: 'TimeGenerated', type: 'datetime' }, { name: 'Message', type: 'string' }] });
const errors = (source: WorkspaceSchemaSource, kql: string) => source.check(kql).filter((d) => d.severity === 'Error').map((d) => d.code);

describe('the workspace schema source', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-source-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a later read (the hourly refresh) swaps in the new schema for later checks and changes the version', async () => {
    let metadata: unknown = { tables: [table('First_CL')] };
    const source = new WorkspaceSchemaSource({ read: async () => metadata, cacheFile: workspaceSchemaCacheFile(dir, 'ws-1'), logger: silentLogger, refreshMs: 3_600_000 });
    await source.start();
    try {
      expect(errors(source, 'Second_CL | take 1')).toEqual(['KS204']);
      const before = source.version();
      metadata = { tables: [table('First_CL'), table('Second_CL')] };
      expect(await source.refresh()).toBe(true);
      expect(errors(source, 'Second_CL | where Message has "x"')).toEqual([]);
      expect(source.version()).not.toBe(before);
      expect(source.describe()).toMatchObject({ origin: 'workspace', tables: 2 });
    } finally {
      source.stop();
    }
  });

  test('a failed refresh keeps checking against the last good schema and says why', async () => {
    let fail = false;
    const source = new WorkspaceSchemaSource({
      read: async () => {
        if (fail) throw new Error('The workspace metadata read failed with HTTP 429: TooManyRequests');
        return { tables: [table('Kept_CL')] };
      },
      cacheFile: workspaceSchemaCacheFile(dir, 'ws-2'),
      logger: silentLogger,
    });
    await source.start();
    try {
      fail = true;
      expect(await source.refresh()).toBe(false);
      expect(errors(source, 'Kept_CL | take 1')).toEqual([]);
      expect(source.describe()).toMatchObject({ origin: 'workspace', lastError: expect.stringContaining('HTTP 429') });
    } finally {
      source.stop();
    }
  });

  test('a workspace answer that is not a schema is not cached and leaves the bundled schema in use', async () => {
    const cacheFile = workspaceSchemaCacheFile(dir, 'ws-3');
    const source = new WorkspaceSchemaSource({ read: async () => ({ error: 'nope' }), cacheFile, logger: silentLogger });
    await source.start();
    source.stop();
    expect(fs.existsSync(cacheFile)).toBe(false);
    expect(source.describe()).toMatchObject({ origin: 'bundled', lastError: expect.stringContaining('not a schema document') });
    expect(errors(source, 'DeviceRegistryEvents | take 1')).toEqual([]);
  });
  test("until a workspace schema is read, verdicts are kept under local mode's key (so the build's answer them), and a read schema gets its own", async () => {
    const kql = 'DeviceInfo | take 3';
    // A verdict local mode kept (as the build keeps its verdicts on the built-in hunts), distinguishable from the analyser's own ([]).
    const keptInLocalMode: KqlDiagnostic[] = [{ severity: 'Warning', code: 'KS999', message: 'kept in local mode', start: 0, length: 1, line: 1, column: 1 }];
    const localFile = path.join(dir, 'local-verdicts.json');
    new QueryCheckCache(localFile, () => keptInLocalMode, schemaVersion(bundledQuerySchema().version())).checkAndKeep(kql);
    let apiDown = true;
    const source = new WorkspaceSchemaSource({
      read: async () => {
        if (apiDown) throw new Error('The workspace metadata read failed with HTTP 503: ServiceUnavailable');
        return { tables: [table('First_CL')] };
      },
      cacheFile: workspaceSchemaCacheFile(dir, 'ws-4'),
      logger: silentLogger,
    });
    await source.start();
    try {
      const asked: string[] = [];
      const checks = new QueryCheckCache(path.join(dir, 'sentinel-verdicts.json'), (text) => (asked.push(text), source.check(text)), () => schemaVersion(source.version()), localFile);
      expect(source.describe()).toMatchObject({ origin: 'bundled' });
      expect(checks.check(kql)).toEqual(keptInLocalMode);
      expect(asked).toEqual([]);
      apiDown = false;
      expect(await source.refresh()).toBe(true);
      expect(checks.check(kql)).toEqual([]);
      expect(asked).toEqual([kql]);
    } finally {
      source.stop();
    }
  });
});
