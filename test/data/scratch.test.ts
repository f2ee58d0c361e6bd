import { checkQuery } from '../../src/kql';
import { kustoRuntime } from '../../src/kql/parser/bridge-runtime';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';
import { renderHuntQuery } from '../../src/hunts/render';

test('scratch', () => {
  const catalog = catalogWithoutAnalysis();
  const w = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z') };
  const qs = catalog.hunts().map((h) => renderHuntQuery(h, { window: w, exclusions: { watchlistAlias: 'X', huntKey: 'rmm/x', now: w.end } }));
  checkQuery('print 1');
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    for (const q of qs) checkQuery(q);
    const a = performance.now() - t;
    const { language } = kustoRuntime();
    t = performance.now();
    for (const q of qs) language.KustoCode.Parse(q).GetDiagnostics();
    console.log(round, a, performance.now() - t);
  }
});
