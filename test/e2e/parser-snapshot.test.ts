import { spawn, spawnSync } from 'node:child_process';
import { ensureParserSnapshot } from '../support/parser-snapshot-blob';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `huntbot` started from the Kusto parser's startup snapshot (bin/parser-snapshot.js, built by
 * scripts/parser-snapshot.mjs) answers exactly as `huntbot` that loads the parser itself
 * (HUNTBOT_PARSER_SNAPSHOT=0), and the snapshot really holds the analyser's state for the bundled schema.
 * Runs the built code: `npm test` builds first.
 */

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'huntbot.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function huntbot(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const WITHOUT_SNAPSHOT = { HUNTBOT_PARSER_SNAPSHOT: '0' };
let dataDir: string;
let cacheDir: string;

let BLOB: string;

beforeAll(() => {
  BLOB = ensureParserSnapshot();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-data-'));
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-cache-'));
  const rows = [
    ['wks-1', '2024-05-30T10:00:00Z'],
    ['wks-2', '2024-05-31T10:00:00Z'],
    ['wks-2', '2024-05-31T12:00:00Z'],
  ].map(([device, at], i) => JSON.stringify({ Timestamp: at, DeviceName: device, FileName: 'powershell.exe', ProcessCommandLine: `powershell -enc ${i}` }));
  fs.writeFileSync(path.join(dataDir, 'DeviceProcessEvents.jsonl'), `${rows.join('\n')}\n`);
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

test('the snapshot holds the parser and the analyser state for the bundled schema, under the key the analyser asks for', () => {
  const probe = path.join(dataDir, 'probe.js');
  fs.writeFileSync(
    probe,
    `const { preloadedGlobalState, parserPreloaded } = require(${JSON.stringify(path.join(ROOT, 'dist/src/kql/parser/preloaded-parser.js'))});
const { catalogKey } = require(${JSON.stringify(path.join(ROOT, 'dist/src/kql/parser/analyzer.js'))});
const { catalogOf } = require(${JSON.stringify(path.join(ROOT, 'dist/src/kql/parser/catalog.js'))});
console.log(JSON.stringify({ preloaded: parserPreloaded(), bundledState: preloadedGlobalState(catalogKey(catalogOf())) !== undefined }));`,
  );
  const fromSnapshot = spawnSync(process.execPath, ['--snapshot-blob', BLOB, probe], { encoding: 'utf8' });
  expect(JSON.parse(fromSnapshot.stdout)).toEqual({ preloaded: true, bundledState: true });
  const plain = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
  expect(JSON.parse(plain.stdout)).toEqual({ preloaded: false, bundledState: false });
});

test('huntbot check gives the same diagnostics and exit codes from the snapshot as without it', async () => {
  for (const kql of ['DeviceProcessEvents | where FileName has "powershell" | summarize count() by DeviceName', 'DeviceProcessEvents | where NoSuchColumn == 1']) {
    const [fromSnapshot, loaded] = await Promise.all([huntbot(['check', kql]), huntbot(['check', kql], WITHOUT_SNAPSHOT)]);
    expect(fromSnapshot).toEqual(loaded);
  }
  const broken = await huntbot(['check', 'DeviceProcessEvents | where NoSuchColumn == 1']);
  expect(broken.status).toBe(1);
  expect(broken.stdout + broken.stderr).toContain('NoSuchColumn');
});

test('huntbot query answers the same from the snapshot as without it, on the first load and from the data snapshot', async () => {
  const kql = 'DeviceProcessEvents | summarize Runs = count(), Last = max(Timestamp) by DeviceName | order by DeviceName asc';
  const args = ['query', '--json', '--data', dataDir, '--now', '2024-06-01T00:00:00Z', kql];
  const env = { HUNT_CACHE_DIR: cacheDir };
  const firstLoad = await huntbot(args, env);
  const again = await huntbot(args, env);
  const loaded = await huntbot(args, { ...env, ...WITHOUT_SNAPSHOT });
  expect(firstLoad.status).toBe(0);
  expect(JSON.parse(firstLoad.stdout).rows).toEqual([
    ['wks-1', 1, '2024-05-30T10:00:00.0000000Z'],
    ['wks-2', 2, '2024-05-31T12:00:00.0000000Z'],
  ]);
  expect(again).toEqual(firstLoad);
  expect(loaded).toEqual(firstLoad);
});
