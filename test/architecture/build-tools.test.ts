import * as path from 'node:path';
import { importsOf, sourceFiles } from './import-graph';

const ROOT = path.resolve(__dirname, '../..');

describe('build tools stay out of the runtime', () => {
  test('the icon drawing tools live in scripts/icons, not in src', () => {
    expect(sourceFiles(ROOT, 'scripts/icons')).toEqual(['scripts/icons/icons.ts', 'scripts/icons/png.ts', 'scripts/icons/raster.ts']);
    expect(sourceFiles(ROOT, 'src').filter((f) => /\/(icons|raster|png)\.ts$/.test(f))).toEqual([]);
  });

  test('no file of src imports anything from scripts/', () => {
    const offenders = sourceFiles(ROOT, 'src').flatMap((file) =>
      importsOf(ROOT, file)
        .filter((i) => i.specifier.startsWith('.') && path.posix.normalize(path.posix.join(path.posix.dirname(file), i.specifier)).startsWith('scripts/'))
        .map((i) => `${file} imports ${i.specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
