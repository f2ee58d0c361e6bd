import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBuiltinVerdicts } from '../../src/hunts/builtin-verdicts';
import { HuntCatalog } from '../../src/hunts/catalog';
import { QueryCheckCache } from '../../src/hunts/query-check-cache';
import type { KqlDiagnostic } from '../../src/kql/types';
import { runWideQueryChecker } from '../support/run-kql-checks';

const checkQuery = runWideQueryChecker();

describe("the build's verdicts on the built-in hunts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-builtin-verdicts-'));
  const seed = path.join(dir, 'kql-checks.builtin.json');
  const own = path.join(dir, 'cache', 'kql-checks.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The query texts a start checks for the built-in hunts (rendered, as the catalog checks them). */
  const checked: string[] = [];
  HuntCatalog.load({ checkQuery: (kql) => (checked.push(kql), checkQuery(kql)) });

  it('answers every built-in hunt at start without one question to the analyser, with the verdicts the analyser gives', async () => {
    expect(await writeBuiltinVerdicts(seed, checkQuery)).toBe(HuntCatalog.load({ checkQuery }).catalog.size);
    const asked: string[] = [];
    const cache = new QueryCheckCache(own, (kql) => (asked.push(kql), checkQuery(kql)), undefined, seed);
    const { catalog, problems } = HuntCatalog.load({ checkQuery: cache.check });
    expect(asked).toEqual([]);
    expect(problems).toEqual([]);
    expect(catalog.size).toBeGreaterThan(200);
    expect(checked.length).toBeGreaterThanOrEqual(catalog.size);
    for (const kql of checked) expect(cache.known(kql)).toEqual(checkQuery(kql));
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
