/**
 * Builds the Teams app package: the filled manifest plus its two icons, at the root of one zip.
 *
 *   MicrosoftAppId=<bot app id> [TEAMS_APP_ID=<guid>] [HUNTBOT_APP_VERSION=1.2.3] \
 *     node dist/src/packaging/package-app.js [--out <file.zip>] [--allow-placeholders]
 *
 * Any configuration problem, schema violation or bad icon ends the run with one line listing all of
 * them and exit code 1, so a CI log shows everything to fix at once. Placeholder (example.com) developer
 * URLs stop it with exit code 2 unless --allow-placeholders, as does a bad argument.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, processIO } from '../cli/io';
import { buildManifest, loadManifestTemplate, Manifest, PackagingEnv } from './build-manifest';
import { validateManifest } from './manifest-schema';
import { PackagingError } from './packaging-error';
import { defaultPackagePath, manifestDir } from './paths';
import { placeholderUrls } from './placeholder-urls';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, readPngHeader } from './png-header';
import { createZip, ZipEntry } from './zip';
import { errorMessage } from '../util/error-message';

export { buildManifest } from './build-manifest';
export { validateManifest } from './manifest-schema';
export { PackagingError } from './packaging-error';

export interface WriteOptions {
  /** Where to write the zip; parent folders are created. */
  outFile: string;
  /** Folder holding manifest.json and the icon files it names (default: manifest/). */
  sourceDir?: string;
  /** Write the package even though its URLs are placeholders (a test package). */
  allowPlaceholders?: boolean;
}

export interface PackageResult {
  outFile: string;
  manifest: Manifest;
  /** Placeholder URLs the package was written with (only with allowPlaceholders). */
  placeholders: string[];
}

/** The manifest still has example.com URLs and placeholders were not allowed. */
export class PlaceholderUrlsError extends Error {
  constructor(readonly urls: readonly string[]) {
    super(`placeholder URLs in manifest/manifest.json: ${urls.join(', ')}`);
    this.name = 'PlaceholderUrlsError';
  }
}

/** PNG colour types with an alpha channel (grey+alpha, RGBA): the outline icon needs transparency. */
const ALPHA_COLOR_TYPES = new Set([4, 6]);

/**
 * Writes the zip for an already valid manifest: manifest.json and the icons it names, all at the root
 * (Teams cannot find icons in sub-folders). Throws a PackagingError when an icon is missing or wrong.
 */
export function writeAppPackage(manifest: Manifest, options: WriteOptions): string {
  const iconsDir = options.sourceDir ?? manifestDir();
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const problems: string[] = [];
  const color = readIcon(iconsDir, 'color', icons.color, COLOR_ICON_SIZE, false, problems);
  const outline = readIcon(iconsDir, 'outline', icons.outline, OUTLINE_ICON_SIZE, true, problems);
  if (problems.length > 0 || !color || !outline) throw new PackagingError(problems);

  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    color,
    outline,
  ];
  const outFile = resolve(options.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, createZip(entries));
  return outFile;
}

function readIcon(
  dir: string,
  role: 'color' | 'outline',
  name: string | undefined,
  size: number,
  needsAlpha: boolean,
  problems: string[],
): ZipEntry | undefined {
  if (!name || basename(name) !== name) {
    problems.push(`icons.${role} must name a file at the package root, got ${JSON.stringify(name)}`);
    return undefined;
  }
  let data: Buffer;
  try {
    data = readFileSync(join(dir, name));
  } catch {
    problems.push(`icons.${role}: ${join(dir, name)} cannot be read`);
    return undefined;
  }
  try {
    const header = readPngHeader(data);
    if (header.width !== size || header.height !== size) {
      problems.push(`icons.${role} ${name} is ${header.width}×${header.height}, Teams requires ${size}×${size}`);
    }
    if (needsAlpha && !ALPHA_COLOR_TYPES.has(header.colorType)) {
      problems.push(`icons.${role} ${name} has no alpha channel; the outline icon needs a transparent background`);
    }
  } catch (error) {
    problems.push(`icons.${role} ${name}: ${errorMessage(error)}`);
  }
  return { name, data };
}

/**
 * Builds, validates and writes the package; throws a PackagingError listing every problem, or a
 * PlaceholderUrlsError when the manifest's URLs are placeholders and they are not allowed.
 */
export function packageApp(env: PackagingEnv, options: WriteOptions): PackageResult {
  const manifest = buildManifest(env, loadManifestTemplate(options.sourceDir));
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new PackagingError(problems.map((p) => `manifest.json ${p}`));
  const placeholders = placeholderUrls(manifest);
  if (placeholders.length > 0 && !options.allowPlaceholders) throw new PlaceholderUrlsError(placeholders);
  return { outFile: writeAppPackage(manifest, options), manifest, placeholders };
}

const USAGE =
  'usage: MicrosoftAppId=<guid> [TEAMS_APP_ID=<guid>] [HUNTBOT_APP_VERSION=x.y.z] package-app [--out <file.zip>] [--allow-placeholders]';

/** CLI entry point; returns the exit code rather than exiting, so tests can call it. */
export async function main(args: string[], io: CliIO = processIO, env: PackagingEnv = process.env): Promise<number> {
  let values: { out?: string; 'allow-placeholders'?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args,
      options: { out: { type: 'string' }, 'allow-placeholders': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`package-app: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }

  try {
    const outFile = values.out ?? defaultPackagePath();
    const result = packageApp(env, { outFile, allowPlaceholders: values['allow-placeholders'] === true });
    const { manifest } = result;
    const bot = (manifest.bots as Array<{ botId: string }>)[0];
    if (result.placeholders.length > 0) {
      io.err(
        `package-app: WARNING: THIS PACKAGE HAS PLACEHOLDER URLS (${result.placeholders.join(', ')}). ` +
          'Teams shows them to everyone who installs the app: use this package only for testing, never in your organisation\'s app catalog.',
      );
    }
    io.out(
      `package-app: wrote ${result.outFile} (manifest ${String(manifest.manifestVersion)}, version ${String(manifest.version)}, ` +
        `app id ${String(manifest.id)}, bot id ${bot.botId})`,
    );
    return 0;
  } catch (error) {
    if (error instanceof PlaceholderUrlsError) {
      io.err(
        `package-app: refusing to build the Teams app package: manifest/manifest.json still has placeholder URLs: ${error.urls.join(', ')}. ` +
          'Teams shows the developer website, privacy and terms links to everyone who installs the app: put your own pages there, ' +
          'or pass --allow-placeholders (npm run package -- --allow-placeholders) for a test package.',
      );
      return 2;
    }
    if (!(error instanceof PackagingError)) throw error;
    io.err(`package-app: cannot build the Teams app package: ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`package-app: ${errorMessage(error)}`);
      process.exitCode = 1;
    },
  );
}
