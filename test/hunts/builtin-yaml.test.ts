import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { readBoundedYaml } from '../../src/hunts/bounded-yaml';
import { builtinYamlReader, writeBuiltinYaml } from '../../src/hunts/builtin-yaml';
import { HuntCatalog } from '../../src/hunts/catalog';
import { listHuntFiles, subdirectories } from '../../src/hunts/hunt-folder';
import { builtinHuntsDir } from '../../src/hunts/package-paths';

/** The text of every file under the built-in hunt folders, as the catalog reads them. */
function builtinTexts(): string[] {
  return subdirectories(builtinHuntsDir()).flatMap((folder) => listHuntFiles(folder).files.map((file) => fs.readFileSync(file.path, 'utf8')));
}

const DESKTOPNOW = path.join(builtinHuntsDir(), 'rmm', 'desktopnow-filesig.yaml');
const NO_CHECK = { checkQuery: () => [], tokenize: (kql: string) => kql.split(/\s+/) };

describe("the build's YAML values of the built-in hunt files", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'builtin-yaml-'));
    file = path.join(dir, 'hunts.builtin-yaml.json');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A hunts folder (one family) holding a plain file and `name` with `text`: what writeBuiltinYaml walks. */
  function huntsFolderWithPlainAnd(name: string, text: string): string {
    const hunts = fs.mkdtempSync(path.join(dir, 'hunts-'));
    fs.mkdirSync(path.join(hunts, 'odd'));
    fs.writeFileSync(path.join(hunts, 'odd', name), text);
    fs.writeFileSync(path.join(hunts, 'odd', 'plain.yaml'), 'id: plain\nlimit: 5\n');
    return hunts;
  }

  test('keeps every built-in hunt file, and gives each the value parsing its YAML gives', () => {
    const texts = builtinTexts();
    expect(writeBuiltinYaml(file)).toBe(texts.length);
    const read = builtinYamlReader(file);
    for (const text of texts) expect(read(text)).toStrictEqual(readBoundedYaml(text));
  });

  test('gives a fresh copy each time: changing one answer changes no later one', () => {
    writeBuiltinYaml(file);
    const read = builtinYamlReader(file);
    const text = fs.readFileSync(DESKTOPNOW, 'utf8');
    const first = read(text) as { ok: true; value: { name: string } };
    first.value.name = 'changed';
    expect((read(text) as { ok: true; value: { name: string } }).value.name).toMatch(/DesktopNow/);
  });

  test('parses a text the build did not see (an edited file), and reads nothing from a file of another format or not JSON', () => {
    writeBuiltinYaml(file);
    const edited = fs.readFileSync(DESKTOPNOW, 'utf8').replace(/^name: .*$/m, 'name: Edited after the build');
    expect(builtinYamlReader(file)(edited)).toEqual({ ok: true, value: expect.objectContaining({ name: 'Edited after the build' }) });

    const text = fs.readFileSync(DESKTOPNOW, 'utf8');
    const { format, parser } = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number; parser: string };
    const planted = (kept: { format: number; parser: string }) =>
      JSON.stringify({ ...kept, values: { [createHash('sha256').update(text).digest('hex')]: '{"name":"planted"}' } });
    fs.writeFileSync(file, planted({ format: format - 1, parser }));
    expect(builtinYamlReader(file)(text)).toEqual(readBoundedYaml(text));
    // Values from another release of the YAML parser (the file's hash covers the text only).
    fs.writeFileSync(file, planted({ format, parser: parser.replace(/^yaml \S+/, 'yaml 0.0.1') }));
    expect(builtinYamlReader(file)(text)).toEqual(readBoundedYaml(text));
    fs.writeFileSync(file, 'not json');
    expect(builtinYamlReader(file)(text)).toEqual(readBoundedYaml(text));
    // The same file with the current format and parser is read (so the refusals above are about them and the JSON).
    fs.writeFileSync(file, planted({ format, parser }));
    expect(builtinYamlReader(file)(text)).toEqual({ ok: true, value: { name: 'planted' } });
  });

  test('leaves out a value JSON cannot carry exactly, so that file is parsed at load', () => {
    const oddFile = path.join(dir, 'odd.json');
    expect(writeBuiltinYaml(oddFile, huntsFolderWithPlainAnd('infinite.yaml', 'id: odd\nlimit: .inf\n'))).toBe(1);
    expect(builtinYamlReader(oddFile)('id: odd\nlimit: .inf\n')).toEqual({ ok: true, value: { id: 'odd', limit: Infinity } });
  });

  test('leaves out a recursive alias (JSON cannot write it) and still keeps the other files', () => {
    const oddFile = path.join(dir, 'recursive.json');
    expect(writeBuiltinYaml(oddFile, huntsFolderWithPlainAnd('recursive.yaml', 'id: odd\nlist: &x [1, *x]\n'))).toBe(1);
    expect(builtinYamlReader(oddFile)('id: plain\nlimit: 5\n')).toEqual({ ok: true, value: { id: 'plain', limit: 5 } });
  });

  test('parses a file whose kept value is damaged (not JSON, not text) instead of failing it', () => {
    const text = fs.readFileSync(DESKTOPNOW, 'utf8');
    const hash = createHash('sha256').update(text).digest('hex');
    writeBuiltinYaml(file);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
    for (const damaged of ['{"name":"trunc', 42]) {
      fs.writeFileSync(file, JSON.stringify({ ...kept, values: { [hash]: damaged } }));
      expect(builtinYamlReader(file)(text)).toStrictEqual(readBoundedYaml(text));
    }
  });

  test('is what the catalog loads the built-in hunts from (a planted value shows)', () => {
    writeBuiltinYaml(file);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number; values: Record<string, string> };
    const hash = createHash('sha256').update(fs.readFileSync(DESKTOPNOW, 'utf8')).digest('hex');
    const value = JSON.parse(kept.values[hash]) as { name: string };
    kept.values[hash] = JSON.stringify({ ...value, name: 'Planted in the build file' });
    fs.writeFileSync(file, JSON.stringify(kept));

    const planted = HuntCatalog.load({ ...NO_CHECK, readBuiltinYaml: builtinYamlReader(file) }).catalog;
    expect(planted.hunts().map((h) => h.name)).toContain('Planted in the build file');
    const parsed = HuntCatalog.load({ ...NO_CHECK, readBuiltinYaml: readBoundedYaml }).catalog;
    expect(parsed.hunts().map((h) => h.name)).not.toContain('Planted in the build file');
    expect(parsed.size).toBe(planted.size);
  });
});
