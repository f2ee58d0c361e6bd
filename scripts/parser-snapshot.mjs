// Part of `npm run build` (and of `prepare`): a V8 startup snapshot of the Kusto parser, loaded and
// warmed, for the Node.js version, platform and architecture that build it (see
// scripts/parser-snapshot-entry.cjs). bin/huntbot.js starts from it when it matches the running
// Node.js; without it (another Node.js, or this step failed) huntbot loads the parser as before. A blob
// made from the same inputs (compared by content, below) is kept rather than built again.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { parserSnapshotFile, parserVersion, PARSER_SNAPSHOT_PREFIX } = require('../bin/parser-snapshot.js');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const blob = parserSnapshotFile(path.join(root, 'dist'));
mkdirSync(path.dirname(blob), { recursive: true });
const partial = `${blob}.${process.pid}.tmp`;
const started = performance.now();
const kusto = path.dirname(require.resolve('@kusto/language-service-next/package.json'));
// The bundled schema's catalog, as the analyser keys and builds it (src/kql/parser/analyzer.ts).
const { catalogKey, catalogSymbols } = require('../dist/src/kql/parser/analyzer.js');
const { catalogOf, quoteName } = require('../dist/src/kql/parser/catalog.js');
const catalog = catalogOf();
const catalogs = `${partial}.catalogs.json`;
writeFileSync(catalogs, JSON.stringify([{ key: catalogKey(catalog), symbols: catalogSymbols(catalog), warmUp: `${quoteName(catalog.tables[0].name)} | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 1h)` }]));
const env = {
  ...process.env,
  HUNTBOT_KUSTO_BUNDLES: JSON.stringify(['bridge.min.js', 'Kusto.Language.Bridge.min.js'].map((f) => path.join(kusto, f))),
  HUNTBOT_KUSTO_GLOBALS_JS: path.join(root, 'dist', 'src', 'kql', 'parser', 'kusto-globals.js'),
  HUNTBOT_KUSTO_CATALOGS: catalogs,
};

// Everything the blob is made of, by content: the entry script (it requires nothing else), the parser's
// bundles, the analyser's kusto-globals.js (requires nothing), the catalogs above, and this Node.js. A blob
// whose recorded inputs are these is the one this run would build again (no file times are trusted).
const inputs = createHash('sha256');
for (const part of [process.execPath, process.version, process.versions.v8, process.platform, process.arch]) inputs.update(`${part}\0`);
for (const file of [path.join(root, 'scripts', 'parser-snapshot-entry.cjs'), ...JSON.parse(env.HUNTBOT_KUSTO_BUNDLES), env.HUNTBOT_KUSTO_GLOBALS_JS, catalogs]) inputs.update(readFileSync(file)).update('\0');
const fingerprint = inputs.digest('hex');
const stamp = `${blob}.inputs`;
if (existsSync(blob) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) {
  rmSync(catalogs, { force: true });
  console.log(`build: Kusto parser snapshot for Node.js ${process.version} in ${path.relative(process.cwd(), blob)} is up to date (${Math.round(performance.now() - started)} ms)`);
  process.exit(0);
}
// Removed before the blob changes and written after it is in place: a stamp always describes its blob.
rmSync(stamp, { force: true });

function fail(why) {
  rmSync(partial, { force: true });
  rmSync(catalogs, { force: true });
  // Only the CLI's start-up time depends on the snapshot: a build without it still works.
  console.warn(`build: no Kusto parser snapshot (${why}); huntbot loads the parser at start`);
  process.exit(0);
}

const built = spawnSync(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', path.join(root, 'scripts', 'parser-snapshot-entry.cjs')], { env, encoding: 'utf8' });
rmSync(catalogs, { force: true });
if (built.status !== 0) fail(`building it failed: ${(built.stderr || built.error?.message || '').trim().slice(0, 300)}`);
// A blob this Node.js cannot start from must never be used: start from it once and ask the parser.
const check = spawnSync(process.execPath, ['--snapshot-blob', partial, path.join(root, 'scripts', 'parser-snapshot-check.cjs')], { encoding: 'utf8' });
if (check.status !== 0 || check.stdout.trim() !== 'parser ready') fail(`starting from it failed: ${(check.stderr || check.stdout || '').trim().slice(0, 300)}`);
// Snapshots of another parser version are of no use to anything (another Node.js's may be: CI tests two).
const thisParser = `${PARSER_SNAPSHOT_PREFIX}${parserVersion()}-`;
for (const name of readdirSync(path.dirname(blob))) {
  if (name.startsWith(PARSER_SNAPSHOT_PREFIX) && !name.startsWith(thisParser)) rmSync(path.join(path.dirname(blob), name), { force: true });
}
renameSync(partial, blob);
writeFileSync(stamp, fingerprint);
console.log(`build: Kusto parser snapshot for Node.js ${process.version} in ${path.relative(process.cwd(), blob)} (${Math.round(performance.now() - started)} ms)`);
