import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineLimits, queryLimits } from '../backends/embedded-backend';
import { ConfigError, loadConfig, parseHuntFolders } from '../config/config';
import { HuntCatalog } from '../hunts/catalog';
import { QueryCheckCache } from '../hunts/query-check-cache';
import { type HuntTestOutcome, fixturesDirOf, testHunt } from '../hunt-tests/hunt-test';
import { unusedFixturesFolders } from '../hunt-tests/orphan-fixtures';
import { checkQuery, warmUpKql } from '../kql';
import type { AppConfig } from '../config/config';
import type { CliIO } from './io';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, defineCommand } from './command-line';

/**
 * `huntbot test [DIR...]`: detection as code for the operator's own hunts. Each hunt file with a
 * sibling `<name>.fixtures/` folder runs on the embedded engine over that folder's `<Table>.jsonl`
 * files, and its `expect.yaml` says which entities it must and must not find.
 */
export const testCommand = defineCommand({
  name: 'test',
  usage: 'usage: huntbot test [DIR...] [--json]',
  help: `Runs each of your hunts that has a fixtures folder beside it on the embedded engine, the way the bot
renders and groups it, and checks the entities it finds against the folder's expect.yaml:

  my-hunt.yaml
  my-hunt.fixtures/
    DeviceProcessEvents.jsonl   one JSON object per line, one file per table
    expect.yaml                 hit: [ws-001]      entities the hunt must find (DeviceName, short name or DeviceId)
                                miss: [ws-002]     entities it must not find
                                window: {start: 2026-11-27T00:00:00Z, end: 2026-11-28T00:00:00Z}   optional
                                parameters: {MinCount: 3}                                            optional

Without window:, the hunt runs from the fixtures' first time stamp minus 1 minute to their last plus 1
minute (now() is the window's end). Folders named here replace HUNTS_DIR; without any, HUNTS_DIR is used.
The schema of expect.yaml is schemas/hunt-expect.schema.json.

  --json   print every hunt's outcome as JSON

Exit 0 when every tested hunt passed, 1 when one failed, a hunt file did not load or no hunt has
fixtures, 2 on a usage error or a bad setting.`,
  options: { json: { type: 'boolean' } },
  run: async ({ values, positionals: dirs }, io) => runTests(dirs, values.json === true, io),
});

interface TestReport {
  outcomes: HuntTestOutcome[];
  /** Hunt files that did not load (each is a failure). */
  unloadable: Array<{ path: string; reason: string }>;
  /** Your hunts without a fixtures folder. */
  withoutFixtures: string[];
  /** Fixtures folders beside no hunt that loaded (each is a failure: a misspelt name tests nothing). */
  orphanFixtures: string[];
}

async function runTests(dirs: string[], json: boolean, io: CliIO): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    io.err(`huntbot test: ${error instanceof ConfigError ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
  // Folders named on the command line replace HUNTS_DIR, as for `huntbot validate`.
  const folders = dirs.length > 0 ? parseHuntFolders(dirs.join(path.delimiter)) : config.huntFolders;
  if (folders.length === 0) {
    io.err('huntbot test: no hunt folder: name one (huntbot test DIR) or set HUNTS_DIR. usage: huntbot test [DIR...] [--json] (--help for details)');
    return EXIT_USAGE;
  }
  const missing = folders.find((folder) => !isDirectory(folder.dir));
  if (missing) {
    io.err(`huntbot test: ${missing.dir} is not a folder. usage: huntbot test [DIR...] [--json] (--help for details)`);
    return EXIT_USAGE;
  }
  await warmUpKql();
  const checks = new QueryCheckCache(path.join(config.cacheDir, 'kql-checks.json'), checkQuery);
  const { catalog, problems } = HuntCatalog.load({ huntFolders: folders, checkQuery: checks.check });
  checks.flush();

  const report: TestReport = { outcomes: [], unloadable: problems, withoutFixtures: [], orphanFixtures: [] };
  const limits = queryLimits(engineLimits(config));
  const used = new Set<string>();
  for (const hunt of catalog.hunts().filter((h) => h.source !== 'builtin')) {
    const fixtures = fixturesDirOf(hunt.source);
    used.add(path.resolve(fixtures));
    if (isDirectory(fixtures)) report.outcomes.push(testHunt(hunt, fixtures, limits));
    else report.withoutFixtures.push(hunt.source);
  }
  // A hunt that did not load is already a failure; its fixtures folder is not an orphan as well.
  for (const problem of problems) used.add(path.resolve(fixturesDirOf(problem.path)));
  report.orphanFixtures = folders.flatMap((folder) => unusedFixturesFolders(folder.dir, used));
  if (json) io.out(JSON.stringify(report, null, 2));
  else printReport(report, io);
  const failed = report.unloadable.length > 0 || report.orphanFixtures.length > 0 || report.outcomes.length === 0 || report.outcomes.some((o) => !o.passed);
  return failed ? EXIT_FAILURE : EXIT_OK;
}

function printReport(report: TestReport, io: CliIO): void {
  for (const problem of report.unloadable) io.out(`FAIL ${shown(problem.path)}\n  does not load: ${problem.reason}`);
  for (const folder of report.orphanFixtures) {
    io.out(`FAIL ${shown(folder)}\n  no hunt file ${path.basename(folder).replace(/\.fixtures$/i, '')}.yaml beside it: rename the folder to <hunt file name without .yaml>.fixtures`);
  }
  for (const outcome of report.outcomes) {
    io.out(`${outcome.passed ? 'PASS' : 'FAIL'} ${shown(outcome.file)} (${outcome.hunt})`);
    if (outcome.window) {
      const from = outcome.window.from === 'fixtures' ? "the fixtures' time stamps ± 1 minute" : 'expect.yaml';
      io.out(`  window ${outcome.window.start} .. ${outcome.window.end} (from ${from})`);
    }
    if (outcome.window && outcome.failures.length === 0) io.out(`  found: ${outcome.found.length > 0 ? outcome.found.join(', ') : 'nothing'}`);
    for (const failure of outcome.failures) io.out(`  ${failure}`);
    for (const note of outcome.notes) io.out(`  note: ${note}`);
  }
  const passed = report.outcomes.filter((o) => o.passed).length;
  const parts = [
    report.outcomes.length === 0 ? 'no hunt was tested' : `${countOf(report.outcomes.length, 'hunt')} tested: ${passed} passed, ${report.outcomes.length - passed} failed`,
    ...(report.unloadable.length > 0 ? [`${countOf(report.unloadable.length, 'hunt file')} did not load`] : []),
    ...(report.orphanFixtures.length > 0 ? [`${countOf(report.orphanFixtures.length, 'fixtures folder')} beside no hunt`] : []),
    ...(report.withoutFixtures.length > 0 || report.outcomes.length === 0
      ? [`${countOf(report.withoutFixtures.length, 'hunt')} had no fixtures folder (<hunt>.fixtures/ with <Table>.jsonl files and expect.yaml beside the hunt file)`]
      : []),
  ];
  io.out(parts.join('; '));
}

/** Paths as the user typed them: relative to the working folder when inside it. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
