jest.mock('../../src/kql', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KqlAnalyzer } = require('../../src/kql/parser/analyzer');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defenderCatalog } = require('../../src/kql/parser/catalog');
  const analyzer = new KqlAnalyzer(defenderCatalog());
  return { checkQuery: (q: string) => analyzer.analyze(q).diagnostics };
}, { virtual: true });
import { HuntCatalog } from '../../src/hunts/catalog';
import { renderHuntQuery } from '../../src/hunts/render';

test('scratch', () => {
  const { catalog, problems } = HuntCatalog.load();
  console.log(problems, catalog.size, catalog.families(), catalog.tools('rmm'));
  console.log(catalog.resolve('rmm', 'DesktopNow'), catalog.resolve('rmm', 'desktopnw'), catalog.resolve('rmm', 'nch', 'process'));
  const hunt = catalog.hunts()[0];
  console.log(renderHuntQuery(hunt, { window: { start: new Date(Date.now() - 5 * 86400000), end: new Date() }, exclusions: { watchlistAlias: "H'x", huntKey: 'rmm/desktopnow', now: new Date() } }));
});
