// Orders test files longest first, so the workers finish together instead of one of them starting
// a two-minute file at the end. The duration of a file is jest's own record of its last run (its cache,
// kept between runs on one machine); a clean clone has none, so the durations in test-durations.json
// (one whole run, recorded by scripts/test-durations.mjs) stand in. A file in neither is new: an
// end-to-end file is guessed at a bot start's worth; a unit file comes after the known ones, by size.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import Sequencer from '@jest/test-sequencer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const recorded = JSON.parse(readFileSync(path.join(HERE, 'test-durations.json'), 'utf8')).files;
/** A new end-to-end file starts at least one bot. */
const NEW_END_TO_END_MS = 20_000;

export default class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    const expected = (test) => {
      const known = this.time(test) ?? recorded[path.relative(ROOT, test.path).split(path.sep).join('/')];
      if (known !== undefined) return known;
      return test.context.config.displayName?.name === 'e2e' ? NEW_END_TO_END_MS : 0;
    };
    const keyed = tests.map((test) => ({ test, ms: expected(test), bytes: test.context.hasteFS.getSize(test.path) ?? 0 }));
    keyed.sort((a, b) => b.ms - a.ms || b.bytes - a.bytes);
    return keyed.map(({ test }) => test);
  }
}
