import { QueryCheckCache } from '../../src/hunts/query-check-cache';
import type { QueryChecker } from '../../src/hunts/hunt-file';
import { checkQuery } from '../../src/kql';

/**
 * The embedded analyser's checkQuery, behind the product's QueryCheckCache over this test run's file
 * (set by kql-checks-global-setup.mjs): a file that loads the full catalog analyses only the queries
 * no earlier file of the run has. Every verdict still comes from this run's analyser. New verdicts are
 * written when the calling file's tests end. Without the run's file (jest started without the
 * setup), the plain analyser.
 */
export function runWideQueryChecker(): QueryChecker {
  const file = process.env.HUNTBOT_TEST_KQL_CHECKS;
  if (!file) return checkQuery;
  const cache = new QueryCheckCache(file, checkQuery);
  afterAll(() => cache.flush());
  return cache.check;
}
