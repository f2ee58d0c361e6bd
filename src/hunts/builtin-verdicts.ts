import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkQuery as analyseQuery, warmUpKql } from '../kql';
import { packageRoot } from '../package-root';
import { HuntCatalog } from './catalog';
import type { QueryChecker } from './hunt-file';
import { QueryCheckCache } from './query-check-cache';

/**
 * Where the build keeps the analyser's verdicts on the built-in hunts, keyed as the bot's own
 * HUNT_CACHE_DIR/kql-checks.json (query text, schema, parser and release): a first start then asks the
 * Kusto parser thread nothing about them (207 checks, ~3 s on two busy cores), as a restart never did.
 */
export function builtinVerdictsFile(): string {
  return path.join(packageRoot(), 'dist', 'kql-checks.builtin.json');
}

/**
 * `check` (an analyser over the bundled schema), answered from the build's verdicts where their key
 * holds: for a command that loads the catalog once and keeps nothing (`huntbot validate`). The build's
 * file is only read: new verdicts stay in memory. Never for another schema: its verdicts may differ.
 */
export function withBuiltinVerdicts(check: QueryChecker): QueryChecker {
  return new QueryCheckCache(builtinVerdictsFile(), check).check;
}

/**
 * Analyses every built-in hunt (the local, bundled schema) and writes the verdicts to `file`, replacing
 * what was there: the same verdicts the bot would reach at start, made once by `npm run build`.
 * Returns how many hunts were checked.
 */
export async function writeBuiltinVerdicts(file = builtinVerdictsFile(), checkQuery: QueryChecker = analyseQuery): Promise<number> {
  if (checkQuery === analyseQuery) await warmUpKql();
  fs.rmSync(file, { force: true });
  const checks = new QueryCheckCache(file, checkQuery);
  const { catalog } = HuntCatalog.load({ checkQuery: checks.check });
  checks.flush();
  return catalog.size;
}
