import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBuiltinVerdicts } from '../../src/hunts/builtin-verdicts';
import { canonicalHuntQuery } from '../../src/hunts/canonical-query';
import { HuntCatalog } from '../../src/hunts/catalog';
import { deviceToolHunts } from '../../src/hunts/device-tool-hunts';
import type { QueryChecker } from '../../src/hunts/hunt-file';
import { QueryCheckCache } from '../../src/hunts/query-check-cache';
import type { KqlDiagnostic } from '../../src/kql/types';
import { runWideQueryChecker } from '../support/run-kql-checks';

const checkQuery = runWideQueryChecker();
/** The texts a device lookup asks about: each built-in hunt it runs scoped to the device, rendered as the runner renders it for its verdict. */
const scopedTexts = deviceToolHunts(HuntCatalog.load({ checkQuery }).catalog.hunts()).map((hunt) => canonicalHuntQuery(hunt, { withTags: false, scoped: true }));

describe("the build's verdicts on the built-in hunts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-builtin-verdicts-'));
  const seed = path.join(dir, 'kql-checks.builtin.json');
  const own = path.join(dir, 'cache', 'kql-checks.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The query texts a start checks for the built-in hunts (rendered, as the catalog checks them). */
  const checked: string[] = [];
  HuntCatalog.load({ checkQuery: (kql) => (checked.push(kql), checkQuery(kql)) });

  it('answers every built-in hunt at start without one question to the analyser, with the verdicts the analyser gives', () => {
    expect(writeBuiltinVerdicts(seed, checkQuery).hunts).toBe(HuntCatalog.load({ checkQuery }).catalog.size);
    const asked: string[] = [];
    const cache = new QueryCheckCache(own, (kql) => (asked.push(kql), checkQuery(kql)), undefined, seed);
    const { catalog, problems } = HuntCatalog.load({ checkQuery: cache.check });
    expect(asked).toEqual([]);
    expect(problems).toEqual([]);
    expect(catalog.size).toBeGreaterThan(200);
    expect(checked.length).toBeGreaterThanOrEqual(catalog.size);
    for (const kql of checked) expect(cache.known(kql)).toEqual(checkQuery(kql));
  });

  it("answers a device lookup's question on every built-in RMM hunt scoped to the device, with the analyser's verdict", () => {
    const cache = new QueryCheckCache(own, () => [], undefined, seed);
    expect(scopedTexts.length).toBeGreaterThan(100);
    for (const kql of scopedTexts) expect(cache.known(kql)).toEqual(checkQuery(kql));
  });

  it("reads the cache's own verdict over the build's, and writes only its own file", () => {
    const mine: KqlDiagnostic[] = [{ severity: 'Error', code: 'KS204', message: 'mine', start: 0, length: 1, line: 1, column: 1 }];
    const builtin = checked[0];
    const writer = new QueryCheckCache(own, () => mine);
    writer.remember(builtin, mine);
    writer.flush();
    const seedBefore = fs.readFileSync(seed, 'utf8');
    const cache = new QueryCheckCache(own, () => [], undefined, seed);
    expect(cache.known(builtin)).toEqual(mine);
    cache.checkAndKeep('DeviceInfo | take 1');
    expect(fs.readFileSync(seed, 'utf8')).toBe(seedBefore);
  });

  it('is ignored when missing or unreadable: the queries are analysed as before', () => {
    const asked: string[] = [];
    fs.writeFileSync(path.join(dir, 'broken.json'), '{not json');
    for (const seedFile of [path.join(dir, 'none.json'), path.join(dir, 'broken.json')]) {
      new QueryCheckCache(path.join(dir, 'fresh.json'), (kql) => (asked.push(kql), []), undefined, seedFile).check('DeviceInfo | take 2');
    }
    expect(asked).toEqual(['DeviceInfo | take 2', 'DeviceInfo | take 2']);
  });
});

describe('the build making its verdicts again', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-builtin-verdicts-again-'));
  const file = path.join(dir, 'kql-checks.builtin.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** checkQuery, noting each text it is asked about. */
  function counting(): { check: QueryChecker; asked: string[] } {
    const asked: string[] = [];
    return { check: (kql) => (asked.push(kql), checkQuery(kql)), asked };
  }

  /** The key a text is kept under: the one key of a file that remembers only that text. */
  function keyOf(kql: string): string {
    const scratch = path.join(fs.mkdtempSync(path.join(dir, 'key-')), 'one.json');
    const one = new QueryCheckCache(scratch, () => []);
    one.remember(kql, []);
    one.flush();
    return Object.keys(JSON.parse(fs.readFileSync(scratch, 'utf8')) as object)[0];
  }

  it('analyses nothing when the hunts and the analyser are unchanged, and writes the same verdicts', () => {
    const first = writeBuiltinVerdicts(file, checkQuery, 'analyser A');
    const before = fs.readFileSync(file, 'utf8');
    const again = counting();
    expect(writeBuiltinVerdicts(file, again.check, 'analyser A')).toEqual({ ...first, analysed: 0 });
    expect(again.asked).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(before));
  });

  it('analyses a text the file has no verdict for (a changed hunt) and drops the verdicts no hunt asks for any more', () => {
    const needed = Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).sort();
    const changed = scopedTexts[0];
    const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete previous[keyOf(changed)];
    previous[keyOf('DeviceInfo | take 1')] = [];
    fs.writeFileSync(file, JSON.stringify(previous));
    const again = counting();
    expect(writeBuiltinVerdicts(file, again.check, 'analyser A').analysed).toBe(1);
    expect(again.asked).toEqual([changed]);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).sort()).toEqual(needed);
  });

  it('reuses no verdict another analyser reached: their key names the release, not the analyser', () => {
    const again = counting();
    const written = writeBuiltinVerdicts(file, again.check, 'analyser B');
    expect(written.analysed).toBe(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).length);
    expect(again.asked).toHaveLength(written.analysed);
  });
});
