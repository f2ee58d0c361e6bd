import * as path from 'node:path';
import { validateCommand } from '../../src/cli/validate-command';
import { warmUpKql } from '../../src/kql';
import { HuntCatalog } from '../../src/hunts/catalog';
import { isAllToolsRow, isGap, loadRmmIndicators } from '../../src/hunts/rmm-indicators';
import { huntFileText, tempHuntsDir } from './hunt-fixtures';
import { runWideQueryChecker } from '../support/run-kql-checks';
import { capturedIO } from '../support/captured-io';

// The built-in hunts' verdicts are shared by the run's files that load the full catalog (the validate
// command takes them from the build, as it does for a user, and analyses what the build did not).
const checkQuery = runWideQueryChecker();
beforeAll(async () => {
  await warmUpKql();
});

describe('loading the built-in catalog', () => {
  const { catalog, problems } = HuntCatalog.load({ checkQuery });

  test('every built-in hunt passes YAML, schema and KQL analysis', () => {
    expect(problems).toEqual([]);
  });

  test('has one hunt per tool and signal kind the indicator table has facts for, plus the all-tools hunt', () => {
    const slots = new Set(
      loadRmmIndicators()
        .filter((row) => !isGap(row) && !isAllToolsRow(row))
        .map((row) => `${row.tool}/${row.kind}`),
    );
    // The lookups (family lookup, src/hunts/lookup) are entity hunts, not indicator-table hunts.
    const rmm = catalog.hunts().filter((h) => h.family === 'rmm');
    expect(rmm.length).toBe(slots.size + 1);
    const kinds = (kind: string) => rmm.filter((h) => h.kind === kind).length;
    expect(kinds('filesig') + kinds('process') + kinds('network')).toBe(rmm.length);
  });

  test('marks built-in hunts as such', () => {
    expect(new Set(catalog.hunts().map((h) => h.source))).toEqual(new Set(['builtin']));
  });
});

describe('loading hunt files from HUNTS_DIR', () => {
  const good = huntFileText();
  const files = {
    'contoso-remote.yaml': good,
    'broken-yaml.yaml': 'id: [unclosed\nname: x',
    'misspelt-column.yaml': huntFileText({
      id: '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e',
      tool: 'othertool',
      query: good.split('query: |\n')[1].replace(/^ {2}/gm, '').replace("Signer has 'Contoso Remote Ltd'", "Singer has 'Contoso Remote Ltd'"),
    }),
    'same-id.yaml': huntFileText({ tool: 'copycat' }),
    '_notes.yaml': 'not: a hunt',
  };
  const { dir, cleanup } = tempHuntsDir(files);
  afterAll(cleanup);
  const { catalog, problems } = HuntCatalog.load({ huntsDirs: [dir], checkQuery });
  const problemFor = (name: string) => problems.find((p) => p.path === path.join(dir, name));

  test('loads the good file next to the built-ins, with its path as the source', () => {
    const resolution = catalog.resolve('rmm', 'contosoremote');
    expect(resolution.ok && resolution.hunts[0].source).toBe(path.join(dir, 'contoso-remote.yaml'));
  });

  test('reports a file that is not valid YAML by path and reason', () => {
    expect(problemFor('broken-yaml.yaml')?.reason).toMatch(/^invalid YAML/);
  });

  test('reports a query the analyser rejects with the diagnostic code and message', () => {
    expect(problemFor('misspelt-column.yaml')?.reason).toMatch(/KS142 .*'Singer'/);
    expect(catalog.resolve('rmm', 'othertool').ok).toBe(false);
  });

  test('reports a second file that reuses an id instead of loading it', () => {
    expect(problemFor('same-id.yaml')?.reason).toMatch(/id 3f2a6c1e-9d4b-4e7a-8c5f-1b2d3e4f5a6b is already used/);
  });

  test('skips files whose names start with an underscore and reports nothing else', () => {
    expect(problemFor('_notes.yaml')).toBeUndefined();
    expect(problems).toHaveLength(3);
  });

  test('reports a folder that does not exist', () => {
    const missing = path.join(dir, 'nope');
    expect(HuntCatalog.load({ huntsDirs: [missing], checkQuery: () => [] }).problems).toEqual([{ path: missing, reason: 'hunt folder does not exist' }]);
  });

  test('reads no environment: HUNTS_DIR reaches it only as folders from the configuration', () => {
    const before = process.env.HUNTS_DIR;
    process.env.HUNTS_DIR = dir;
    try {
      expect(HuntCatalog.load({ checkQuery: () => [] }).catalog.hunts().filter((h) => h.source !== 'builtin')).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.HUNTS_DIR;
      else process.env.HUNTS_DIR = before;
    }
  });

  test('loads a folder named twice once', () => {
    const twice = HuntCatalog.load({ huntsDirs: [dir, dir], checkQuery: () => [] });
    expect(twice.problems.filter((p) => p.reason.includes('already'))).toHaveLength(1);
  });
});

describe('huntbot validate', () => {
  const good = tempHuntsDir({ 'contoso.yaml': huntFileText() });
  const bad = tempHuntsDir({ 'no-window.yaml': huntFileText({ query: 'DeviceFileCertificateInfo | take 1' }) });
  afterAll(() => {
    good.cleanup();
    bad.cleanup();
  });

  test('passes the built-in hunts plus a folder of good files', async () => {
    const io = capturedIO();
    expect(await validateCommand([good.dir], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(io.stdout.join('\n')).toMatch(/hunts valid \(\d+ built-in, 1 from your folders\); 0 problems/);
  }, 60_000);

  test('prints each problem with its path and reason and exits 1', async () => {
    const io = capturedIO();
    expect(await validateCommand([good.dir, bad.dir], io)).toBe(1);
    expect(io.stderr).toEqual([expect.stringMatching(/no-window\.yaml: field 'query' must use the \{\{TimeStart\}\} placeholder/)]);
  }, 60_000);

  test('rejects options it does not know', async () => {
    const io = capturedIO();
    expect(await validateCommand(['--strict'], io)).toBe(2);
  });
});
