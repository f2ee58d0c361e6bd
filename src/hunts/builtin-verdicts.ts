import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkQuery as analyseQuery } from '../kql';
import type { HuntDefinition } from '../domain/hunt-definition';
import { packageRoot } from '../package-root';
import { analyserFingerprint } from './analyser-fingerprint';
import { canonicalHuntQuery } from './canonical-query';
import { HuntCatalog } from './catalog';
import { deviceToolHunts } from './device-tool-hunts';
import type { QueryChecker } from './hunt-file';
import { QueryCheckCache } from './query-check-cache';

/**
 * Where the build keeps the analyser's verdicts on the built-in hunts, keyed as the bot's own
 * HUNT_CACHE_DIR/kql-checks.json (query text, schema, parser and release): a first start then asks the
 * Kusto parser process nothing about them (207 checks, ~3 s on two busy cores), as a restart never did;
 * nor does its first device lookup about the device-tools hunts it runs scoped to the device.
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

/** What writeBuiltinVerdicts kept: the hunts checked, the device-scoped renders, and how many texts were analysed anew. */
export interface BuiltinVerdictsWritten {
  hunts: number;
  scoped: number;
  analysed: number;
}

/**
 * Writes to `file` the verdicts the bot would otherwise reach itself on the built-in hunts (the local,
 * bundled schema): every check of the catalog's load, and the canonical `on <device>` rendering of each
 * hunt a device lookup runs (canonical-query.ts), as the runner asks it. A verdict the file already holds
 * under the same key is reused, but only when `analyser` (the analyser's code; a key names the release,
 * not the code) is the one that reached it; the file is rewritten with exactly this build's keys.
 */
export function writeBuiltinVerdicts(file = builtinVerdictsFile(), checkQuery: QueryChecker = analyseQuery, analyser = analyserFingerprint()): BuiltinVerdictsWritten {
  const stamp = `${file}.analyser`;
  const reusable = readText(stamp) === analyser;
  // Removed before the file changes and written after it is complete: a stamp always names the file's analyser.
  fs.rmSync(stamp, { force: true });
  const next = `${file}.next`;
  fs.rmSync(next, { force: true });
  let analysed = 0;
  const cache = new QueryCheckCache(next, (kql) => (analysed++, checkQuery(kql)), undefined, reusable ? file : undefined);
  // Each text asked is written, reused or not, so no verdict of an older build stays behind.
  const keep: QueryChecker = (kql) => {
    const verdict = cache.check(kql);
    cache.remember(kql, verdict);
    return verdict;
  };
  try {
    const { catalog } = HuntCatalog.load({ checkQuery: keep });
    const scoped = deviceToolHunts(catalog.hunts()).filter((hunt) => keepScoped(hunt, keep));
    cache.flush();
    fs.renameSync(next, file);
    fs.writeFileSync(stamp, analyser);
    return { hunts: catalog.size, scoped: scoped.length, analysed };
  } catch (error) {
    // No file is better than one this build did not finish: the bot then checks the hunts itself.
    fs.rmSync(file, { force: true });
    fs.rmSync(next, { force: true });
    throw error;
  }
}

/** Keeps the verdict on `hunt`'s canonical device-scoped rendering; false for a hunt that cannot be rendered so (the runner then says why, as before). */
function keepScoped(hunt: HuntDefinition, keep: QueryChecker): boolean {
  let kql: string;
  try {
    kql = canonicalHuntQuery(hunt, { withTags: false, scoped: true });
  } catch {
    return false;
  }
  keep(kql);
  return true;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
