import * as path from 'node:path';
import { cycles, importsOf, sourceFiles } from './import-graph';

const ROOT = path.resolve(__dirname, '../..');
const FILES = sourceFiles(ROOT, 'src');

/** `src/runs/run-service.ts` → `src/runs`; a file directly in src is its own unit (`src/index.ts`). */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

function graph(unitOf: (file: string) => string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of FILES) {
    const from = unitOf(file);
    if (!edges.has(from)) edges.set(from, new Set());
    for (const { resolved } of importsOf(ROOT, file)) {
      if (!resolved || !resolved.startsWith('src/')) continue;
      const to = unitOf(resolved);
      if (to !== from) edges.get(from)!.add(to);
    }
  }
  return edges;
}

function offenders(files: string[], forbidden: (imported: { specifier: string; resolved?: string }) => boolean): string[] {
  return files.flatMap((file) => importsOf(ROOT, file).filter(forbidden).map((i) => `${file} imports ${i.specifier}`));
}

describe('dependencies point one way', () => {
  test('finds the source files it checks', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain('src/index.ts');
  });

  test('no two folders of src import each other, directly or round about', () => {
    expect(cycles(graph(folderOf))).toEqual([]);
  });

  test('no source file imports itself round about', () => {
    expect(cycles(graph((file) => file))).toEqual([]);
  });

  test('only src/bot and src/dialogs import the Bot Framework SDK', () => {
    const outside = FILES.filter((f) => !f.startsWith('src/bot/') && !f.startsWith('src/dialogs/'));
    expect(offenders(outside, (i) => /^(botbuilder|botframework-)/.test(i.specifier))).toEqual([]);
  });

  test('the engine (src/kql) imports nothing of the app', () => {
    const engine = FILES.filter((f) => f.startsWith('src/kql/'));
    expect(offenders(engine, (i) => i.resolved !== undefined && !i.resolved.startsWith('src/kql/'))).toEqual([]);
  });

  test('the shared domain types (src/domain) import only each other and the engine\'s value types', () => {
    const domain = FILES.filter((f) => f.startsWith('src/domain/'));
    expect(domain.length).toBeGreaterThan(0);
    expect(
      offenders(domain, (i) => i.resolved === undefined ? !i.specifier.startsWith('node:') : !i.resolved.startsWith('src/domain/') && i.resolved !== 'src/kql/types.ts'),
    ).toEqual([]);
  });
});

describe('the cycle check itself', () => {
  test('finds a cycle of three and ignores a chain', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set<string>()],
    ]);
    expect(cycles(edges)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['x', new Set(['y'])], ['y', new Set<string>()]]))).toEqual([]);
  });
});
