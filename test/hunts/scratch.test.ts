jest.mock('../../src/kql', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KqlAnalyzer } = require('../../src/kql/parser/analyzer');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defenderCatalog } = require('../../src/kql/parser/catalog');
  const analyzer = new KqlAnalyzer(defenderCatalog());
  return { checkQuery: (q: string) => analyzer.analyze(q).diagnostics };
}, { virtual: true });
import { HuntCatalog } from '../../src/hunts/catalog';

test('scratch', () => {
  const t0 = Date.now();
  const { catalog, problems } = HuntCatalog.load();
  console.log(Date.now() - t0, problems, catalog.size);
  for (const [t, k] of [['vnc'], ['auvik'], ['screenconnect'], ['any'], ['anydesk', 'all'], ['itarian', 'filesig'], ['teamveiwer'], ['chrome remote desktop'], ['anydesk', 'sigs']]) {
    const r = catalog.resolve('RMM', t!, k);
    console.log(t, k, r.ok ? { kind: r.kind, hunts: r.hunts.map((h) => h.name) } : r);
  }
  console.log(catalog.find('vnc network').map((h) => h.name));
});
