import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliIO } from '../../src/cli/io';
import { loadManifestTemplate } from '../../src/packaging/build-manifest';
import { main, packageApp, PackagingError, PlaceholderUrlsError, validateManifest, writeAppPackage } from '../../src/packaging/package-app';
import { manifestDir } from '../../src/packaging/paths';
import { readZip } from './helpers/zip-reader';
import { SAMPLE_BOT_ID, SAMPLE_ENV, SAMPLE_TEAMS_APP_ID } from './helpers/sample';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'huntbot-package-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function recordingIO(): CliIO & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: (text) => lines.out.push(text), err: (text) => lines.err.push(text) };
}

const PLACEHOLDERS = [
  'developer.websiteUrl https://example.com/huntbot',
  'developer.privacyUrl https://example.com/huntbot/privacy',
  'developer.termsOfUseUrl https://example.com/huntbot/terms',
];

/** A copy of manifest/ that a test may break. */
function copyOfManifestDir(): string {
  const dir = join(work, 'source');
  mkdirSync(dir);
  for (const file of ['manifest.json', 'color.png', 'outline.png']) copyFileSync(join(manifestDir(), file), join(dir, file));
  return dir;
}

describe('packageApp', () => {
  test('writes a zip holding exactly manifest.json, color.png and outline.png at its root', () => {
    const { outFile } = packageApp(SAMPLE_ENV, { outFile: join(work, 'nested', 'app.zip'), allowPlaceholders: true });
    expect(readZip(readFileSync(outFile)).map((f) => f.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  test('puts the filled-in, schema-valid manifest in the zip', () => {
    const env = { MicrosoftAppId: SAMPLE_BOT_ID, TEAMS_APP_ID: SAMPLE_TEAMS_APP_ID, HUNTBOT_APP_VERSION: '1.4.0' };
    const { outFile } = packageApp(env, { outFile: join(work, 'app.zip'), allowPlaceholders: true });
    const entry = readZip(readFileSync(outFile)).find((f) => f.name === 'manifest.json');
    const manifest = JSON.parse(entry!.data.toString('utf8'));
    expect(manifest.bots[0].botId).toBe(SAMPLE_BOT_ID);
    expect(manifest.id).toBe(SAMPLE_TEAMS_APP_ID);
    expect(manifest.version).toBe('1.4.0');
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(validateManifest(manifest)).toEqual([]);
  });

  test('packs the committed icons unchanged', () => {
    const files = readZip(readFileSync(packageApp(SAMPLE_ENV, { outFile: join(work, 'app.zip'), allowPlaceholders: true }).outFile));
    for (const icon of ['color.png', 'outline.png']) {
      expect(files.find((f) => f.name === icon)!.data.equals(readFileSync(join(manifestDir(), icon)))).toBe(true);
    }
  });

  test('produces the same bytes for the same input, so packages are reproducible', () => {
    const first = readFileSync(packageApp(SAMPLE_ENV, { outFile: join(work, 'a.zip'), allowPlaceholders: true }).outFile);
    const second = readFileSync(packageApp(SAMPLE_ENV, { outFile: join(work, 'b.zip'), allowPlaceholders: true }).outFile);
    expect(first.equals(second)).toBe(true);
  });

  test('refuses the committed manifest while its developer URLs are example.com placeholders, naming each', () => {
    expect(() => packageApp(SAMPLE_ENV, { outFile: join(work, 'app.zip') })).toThrow(new PlaceholderUrlsError(PLACEHOLDERS));
    expect(existsSync(join(work, 'app.zip'))).toBe(false);
  });

  test('writes a package with real developer URLs, reporting no placeholder', () => {
    const source = copyOfManifestDir();
    const template = loadManifestTemplate(source);
    template.developer = {
      name: 'Contoso SecOps',
      websiteUrl: 'https://secops.contoso.com/huntbot',
      privacyUrl: 'https://secops.contoso.com/privacy',
      termsOfUseUrl: 'https://secops.contoso.com/terms',
    };
    writeFileSync(join(source, 'manifest.json'), JSON.stringify(template));
    const result = packageApp(SAMPLE_ENV, { outFile: join(work, 'app.zip'), sourceDir: source });
    expect(result.placeholders).toEqual([]);
    expect(existsSync(result.outFile)).toBe(true);
  });

  test('refuses a template that breaks the schema, listing every violation', () => {
    const source = copyOfManifestDir();
    const broken = loadManifestTemplate(source);
    delete broken.description;
    broken.accentColor = 'teal';
    writeFileSync(join(source, 'manifest.json'), JSON.stringify(broken));
    expect(() => packageApp(SAMPLE_ENV, { outFile: join(work, 'app.zip'), sourceDir: source })).toThrow(
      new PackagingError([
        "manifest.json / must have required property 'description'",
        'manifest.json /accentColor must match pattern "^#[0-9a-fA-F]{6}$"',
      ]),
    );
    expect(existsSync(join(work, 'app.zip'))).toBe(false);
  });
});

describe('writeAppPackage', () => {
  test('rejects icons of the wrong size or without transparency', () => {
    const source = copyOfManifestDir();
    copyFileSync(join(source, 'outline.png'), join(source, 'color.png'));
    copyFileSync(join(manifestDir(), 'color.png'), join(source, 'outline.png'));
    const manifest = loadManifestTemplate(source);
    expect(() => writeAppPackage(manifest, { outFile: join(work, 'app.zip'), sourceDir: source })).toThrow(
      'icons.color color.png is 32×32, Teams requires 192×192; ' +
        'icons.outline outline.png is 192×192, Teams requires 32×32; ' +
        'icons.outline outline.png has no alpha channel; the outline icon needs a transparent background',
    );
  });

  test('rejects an icon path outside the package root', () => {
    const manifest = { ...loadManifestTemplate(), icons: { color: 'img/color.png', outline: 'outline.png' } };
    expect(() => writeAppPackage(manifest, { outFile: join(work, 'app.zip') })).toThrow(
      'icons.color must name a file at the package root, got "img/color.png"',
    );
  });
});

describe('the package-app command', () => {
  test('refuses with exit code 2 while the manifest URLs are placeholders, naming them and the way out', async () => {
    const io = recordingIO();
    const out = join(work, 'out.zip');
    expect(await main(['--out', out], io, SAMPLE_ENV)).toBe(2);
    expect(io.lines.out).toEqual([]);
    expect(io.lines.err).toEqual([
      expect.stringMatching(/^package-app: refusing to build the Teams app package: manifest\/manifest.json still has placeholder URLs: /),
    ]);
    for (const placeholder of PLACEHOLDERS) expect(io.lines.err[0]).toContain(placeholder);
    expect(io.lines.err[0]).toContain('--allow-placeholders');
    expect(existsSync(out)).toBe(false);
  });

  test('with --allow-placeholders writes the package where --out says, prints its path and ids, and warns loudly', async () => {
    const io = recordingIO();
    const out = join(work, 'out.zip');
    expect(await main(['--out', out, '--allow-placeholders'], io, SAMPLE_ENV)).toBe(0);
    expect(io.lines.err).toEqual([expect.stringMatching(/^package-app: WARNING: THIS PACKAGE HAS PLACEHOLDER URLS \(developer\.websiteUrl https:\/\/example\.com/)]);
    expect(io.lines.err[0]).toContain('only for testing');
    expect(io.lines.out).toEqual([expect.stringContaining(`wrote ${out}`)]);
    expect(io.lines.out[0]).toContain(`bot id ${SAMPLE_BOT_ID}`);
    expect(existsSync(out)).toBe(true);
  });

  test('accepts --out=<file> too', async () => {
    const out = join(work, 'eq.zip');
    expect(await main([`--out=${out}`, '--allow-placeholders'], recordingIO(), SAMPLE_ENV)).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  test('fails with exit code 1 and one clear line when the app id is not a GUID', async () => {
    const io = recordingIO();
    const out = join(work, 'bad.zip');
    expect(await main(['--out', out], io, { MicrosoftAppId: 'my-bot' })).toBe(1);
    expect(io.lines.out).toEqual([]);
    expect(io.lines.err).toEqual([
      'package-app: cannot build the Teams app package: MicrosoftAppId "my-bot" is not a GUID like 00000000-0000-0000-0000-000000000000',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  test('fails with exit code 1 when the app id is missing, listing every other problem on the same line', async () => {
    const io = recordingIO();
    expect(await main(['--out', join(work, 'x.zip')], io, { HUNTBOT_APP_VERSION: '1' })).toBe(1);
    expect(io.lines.err).toHaveLength(1);
    expect(io.lines.err[0]).toMatch(/^package-app: cannot build the Teams app package: MicrosoftAppId is not set: .*; HUNTBOT_APP_VERSION "1"/);
  });

  test('rejects an unknown argument as a usage error (exit code 2), with the usage', async () => {
    const io = recordingIO();
    expect(await main(['--zip'], io, SAMPLE_ENV)).toBe(2);
    expect(io.lines.err[0]).toMatch(/^package-app: Unknown option '--zip'/);
    expect(io.lines.err[0]).toContain('usage: ');
  });

  test('rejects --out without a file as a usage error', async () => {
    const io = recordingIO();
    expect(await main(['--out'], io, SAMPLE_ENV)).toBe(2);
    expect(io.lines.err[0]).toContain("'--out <value>' argument missing");
  });
});
