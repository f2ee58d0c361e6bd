// Two projects: unit tests (in process: no servers, child processes or threads) and end-to-end tests
// (the bot over HTTP, bot processes, Azurite, the engine's worker threads and Kusto-parser process; and test/stress/,
// in-process tests of inputs far larger than real ones that take seconds each). `npm run test:unit` runs the first alone; `npm test` runs both.
// ts-jest only strips types (tsconfig sets isolatedModules); the type check is `npm run typecheck`. Each module
// then reads the built-ins as module constants rather than through jest's context global (test/support/module-builtins-transformer.mjs).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const shared = {
  // CPU_PROBE_FILE: CPU per test file, written there (test/support/cpu-probe-environment.cjs).
  testEnvironment: process.env.CPU_PROBE_FILE ? '<rootDir>/test/support/cpu-probe-environment.cjs' : 'node',
  transform: { '^.+\\.ts$': ['<rootDir>/test/support/module-builtins-transformer.mjs', { tsconfig: 'tsconfig.json' }] },
};

/** Folders whose every test file is end-to-end (or, test/stress/, as slow as one). */
const endToEndFolders = ['test/e2e/', 'test/state/', 'test/stress/'];
/**
 * A test file elsewhere that starts the bot, a bot process, Azurite or the engine's threads (each parser
 * thread loads the ~100 MB Kusto parser; the restart tests wait out real restart windows) is end-to-end
 * too, wherever it lives.
 */
const STARTS_A_SERVER_OR_THREAD =
  /\bBotHarness\.start|\bstartApp\(|\bstartBotProcess\(|\bstartAzurite\(|\bnew (WorkerEngineBackend|ParserProcess)\(|\bparallelKnownTablesLoader\(/;

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const endToEndFiles = testFiles(path.join(__dirname, 'test'))
  .map((file) => path.relative(__dirname, file).split(path.sep).join('/'))
  .filter((file) => endToEndFolders.some((folder) => file.startsWith(folder)) || STARTS_A_SERVER_OR_THREAD.test(fs.readFileSync(file, 'utf8')));
const endToEnd = endToEndFiles.map((file) => `<rootDir>/${file}`);

/** @type {import('jest').Config} */
module.exports = {
  // Unit tests; end-to-end tests get E2E_TEST_TIMEOUT_MS (test/support/ceilings.ts) from their setup file.
  testTimeout: 120000,
  // One more worker than cores: files also wait (sockets, child processes, retry and restart windows), and a
  // third worker fills those waits (on the 2-core machine the whole suite took 258 s against 283 s with 2
  // workers). At most 5: availableParallelism counts the host's CPUs, not a container's CPU quota, and many
  // workers on a few real cores would starve the timing tests. JEST_MAX_WORKERS overrides.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? Math.min(os.availableParallelism(), 4) + 1,
  // Longest files first (from jest's cache, else the recorded durations), so neither worker is left with a long file at the end.
  testSequencer: '<rootDir>/test/support/longest-first-sequencer.mjs',
  // One file for the run's shared KQL verdicts on the built-in hunts (test/support/run-kql-checks.ts) and
  // one folder for the generated sample's snapshot, shared by every test bot (test/support/sample-cache.ts).
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/test'], testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...endToEnd] },
    { ...shared, displayName: 'e2e', roots: ['<rootDir>/test'], testMatch: endToEnd, setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'] },
  ],
};
