import * as fs from 'node:fs';
import { readHuntsDirs } from '../config/config';
import { HuntCatalog } from '../hunts/catalog';
import { warmUpKql } from '../kql';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command-line';
import { fixturesDirOf, runHuntOnFixtures } from './hunt-fixture-run';

/**
 * `huntbot test [DIR...]`: detection as code for your own hunts. Every hunt file with a sibling
 * `<hunt>.fixtures/` folder (`<Table>.jsonl` files and an `expect.yaml`) runs on those rows through
 * the embedded engine; the entities it must and must not hit are checked. Exit 1 on any failure.
 */
export const testCommand = defineCommand({
  name: 'test',
  usage: 'usage: huntbot test [DIR...]',
  help: `Runs each of your hunts that has a <hunt>.fixtures/ folder next to its file on those fixtures, through the
embedded engine, and checks the entities listed in <hunt>.fixtures/expect.yaml:
  now: 2026-11-28T03:00:00Z     the instant the hunt runs at (default: the clock)
  lookback: 7d                  the hunt's window before it (default 7d)
  mustHit: [host-a]             values that must appear in the results
  mustNotHit: [look-alike]      values that must not
Folders named here replace HUNTS_DIR. Exit 0 when every hunt passes, 1 on any failure or invalid hunt, 2 on a usage error.`,
  options: {},
  run: async ({ positionals: dirs }, io) => {
    const { catalog, problems } = HuntCatalog.load({ huntsDirs: dirs.length > 0 ? dirs : readHuntsDirs(process.env) });
    for (const problem of problems) io.err(`${problem.path}: ${problem.reason}`);
    await warmUpKql();
    let passed = 0;
    let failed = 0;
    for (const hunt of catalog.hunts()) {
      if (hunt.source === 'builtin') continue;
      const dir = fixturesDirOf(hunt.source);
      if (!fs.existsSync(dir)) continue;
      const outcome = runHuntOnFixtures(hunt, dir);
      if (outcome.failures.length === 0) {
        passed++;
        io.out(`PASS ${outcome.hunt}`);
      } else {
        failed++;
        io.out(`FAIL ${outcome.hunt}`);
        for (const failure of outcome.failures) io.out(`  - ${failure}`);
      }
    }
    io.out(`${countOf(passed, 'hunt')} passed, ${failed} failed${problems.length > 0 ? `; ${countOf(problems.length, 'invalid hunt file')}` : ''}`);
    return failed > 0 || problems.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
});
